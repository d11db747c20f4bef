/*
 * Test double of the @twilio/conversations 3.x browser bundle (window.Twilio.Conversations), served from
 * the test classpath in place of the real vendor/conversations.js. No network. Behaviour is scripted by
 * localStorage['fakeTwilio.chat'] before the page joins: unset = works, "fail" = the client fails to
 * initialise, "pending" = the user is not yet a participant of any conversation (the server queued the
 * enrollment) until the test calls clients[i].addedTo(sid), as Twilio adding the participant would.
 * Like the real SDK (3.0.1, Client.getConversationBySid), a user who is not a participant cannot get
 * the conversation: the call rejects with "Conversation with SID … was not found."; the client fires
 * conversationJoined when the participant is added. Tests inspect and drive it through
 * window.fakeTwilio.chat.
 */
(function () {
  'use strict';

  class Emitter {
    constructor() { this.handlers = new Map(); }
    on(event, fn) {
      if (!this.handlers.has(event)) this.handlers.set(event, []);
      this.handlers.get(event).push(fn);
      return this;
    }
    emit(event, ...args) {
      for (const fn of this.handlers.get(event) || []) fn(...args);
      return this;
    }
    removeAllListeners() { this.handlers.clear(); return this; }
  }

  let nextIndex = 0;

  class Message {
    constructor(author, body) {
      this.index = nextIndex++;
      this.sid = `IM${String(this.index).padStart(32, '0')}`;
      this.author = author;
      this.body = body;
      this.dateCreated = new Date();
    }
  }

  class Paginator {
    constructor(all, end, size) {
      this.items = all.slice(Math.max(0, end - size), end);
      this.hasPrevPage = end - size > 0;
      this.prevPage = () => Promise.resolve(new Paginator(all, end - size, size));
    }
  }

  class Conversation extends Emitter {
    constructor(sid, client) {
      super();
      this.sid = sid;
      this.client = client;
      this.messages = [];
    }
    sendMessage(body) {
      const m = new Message(this.client.identity, body);
      this.messages.push(m);
      setTimeout(() => this.emit('messageAdded', m), 0);
      return Promise.resolve(m.index);
    }
    getMessages(pageSize = 30) {
      return Promise.resolve(new Paginator(this.messages, this.messages.length, pageSize));
    }
    // Typing, read horizon and media messages, recorded for the tests.
    typing() {
      this.typingCalls = (this.typingCalls || 0) + 1;
    }
    advanceLastReadMessageIndex(index) {
      this.lastReadMessageIndex = Math.max(this.lastReadMessageIndex ?? -1, index);
      return Promise.resolve(0);
    }
    prepareMessage() {
      const conversation = this;
      const draft = { body: '', media: [] };
      const builder = {
        setBody(body) { draft.body = body; return builder; },
        addMedia(media) { draft.media.push(media); return builder; },
        build() {
          return {
            send() {
              const m = new Message(conversation.client.identity, draft.body);
              m.attachedMedia = draft.media.map((media, i) => ({
                sid: `ME${String(m.index * 10 + i).padStart(32, '0')}`,
                filename: media.filename,
                contentType: media.contentType,
                size: media.media && media.media.size,
                getContentTemporaryUrl: () => Promise.resolve('fake-media-url'),
              }));
              conversation.messages.push(m);
              setTimeout(() => conversation.emit('messageAdded', m), 0);
              return Promise.resolve(m.index);
            },
          };
        },
      };
      return builder;
    }
  }

  const state = {
    clients: [],
    mode: null,
  };

  function identityOf(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).grants.identity;
    } catch (e) {
      return 'unknown';
    }
  }

  class Client extends Emitter {
    constructor(token) {
      super();
      this.token = token;
      this.identity = identityOf(token);
      this.updatedTokens = [];
      this.state = 'initializing';
      this.connectionState = 'connecting';
      this.shutdownCalled = false;
      this.conversations = new Map();
      this.joined = new Set();
      state.mode = window.localStorage.getItem('fakeTwilio.chat');
      state.clients.push(this);
      setTimeout(() => {
        if (state.mode === 'fail') {
          this.state = 'failed';
          this.connectionState = 'denied';
          this.emit('connectionStateChanged', 'denied');
          this.emit('stateChanged', 'failed');
          this.emit('initFailed', { error: { message: 'fake: chat service unreachable' } });
        } else {
          this.state = 'initialized';
          this.connectionState = 'connected';
          this.emit('connectionStateChanged', 'connected');
          this.emit('stateChanged', 'initialized');
        }
      }, 30);
    }
    getConversationBySid(sid) {
      this.lookups = (this.lookups || 0) + 1;
      if (this.state !== 'initialized') return Promise.reject(new Error('fake: not initialized'));
      if (state.mode === 'pending' && !this.joined.has(sid)) {
        return Promise.reject(new Error(`Conversation with SID ${sid} was not found.`));
      }
      return Promise.resolve(this.#conversation(sid));
    }
    // Test hook: Twilio has added this user as a participant of the conversation.
    addedTo(sid) {
      this.joined.add(sid);
      setTimeout(() => this.emit('conversationJoined', this.#conversation(sid)), 0);
    }
    #conversation(sid) {
      if (!this.conversations.has(sid)) {
        const c = new Conversation(sid, this);
        c.messages.push(new Message('twilio-bot', 'welcome from the fake conversation'));
        this.conversations.set(sid, c);
      }
      return this.conversations.get(sid);
    }
    updateToken(token) {
      this.updatedTokens.push(token);
      this.token = token;
      return Promise.resolve(this);
    }
    shutdown() {
      this.shutdownCalled = true;
      return Promise.resolve();
    }
    // Test hook: what the SDK does about three minutes before the token expires.
    fireTokenAboutToExpire() {
      this.emit('tokenAboutToExpire', 180);
    }
  }

  const fake = window.fakeTwilio = window.fakeTwilio || {};
  fake.chat = state;
  window.Twilio = window.Twilio || {};
  window.Twilio.Conversations = { Client };
}());

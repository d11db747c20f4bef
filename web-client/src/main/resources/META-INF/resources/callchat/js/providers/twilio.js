// The Twilio provider: Programmable Video for media, Conversations for chat, both from the SDK bundles
// that the build vendors into vendor/ (loaded only when this provider is used).

import { ProviderEvents } from './events.js';
import { loadVendorScript } from '../load-script.js';

const VIDEO_SDK = 'vendor/video.js';
const CHAT_SDK = 'vendor/conversations.js';
const CHAT_INIT_TIMEOUT_MS = 20000;
const PAGE_SIZE = 30;
// How long the page waits for a pending chat enrollment before it calls chat unavailable. The server
// normally completes one within seconds; one lost to a server restart is redone by the next login.
const JOIN_WAIT_MS = 90_000;
const JOIN_RETRY_MAX_MS = 8_000;
const SCREEN_TRACK_NAME = 'screen';
// "Room contains too many Participants": a Group room holds at most 50 participants
// (https://www.twilio.com/docs/api/errors/53105, https://www.twilio.com/docs/video/programmable-video-limits).
// Retrying on our own would only hammer a full room: the page says so and the person decides.
const ROOM_FULL = 53105;
// Conversations media: Twilio cannot sniff for us, so the page holds files to the local hub's default
// limits (10 MB; images, PDF, plain text) by declared type.
const MAX_MEDIA_BYTES = 10 * 1024 * 1024;
const MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export class TwilioProvider extends ProviderEvents {
  constructor() {
    super();
    this.closed = false;
    this.tokenNeeded = null;
    this.room = null;
    this.client = null;
    this.conversation = null;
    this.page = null;
    this.screen = null;
  }

  async connect(session, tracks) {
    this.session = session;
    this.identity = session.identity;
    try {
      await loadVendorScript(VIDEO_SDK);
    } catch (e) {
      throw new Error('The video library could not be loaded. Reload the page to try again.');
    }
    const Video = window.Twilio && window.Twilio.Video;
    if (!Video) throw new Error('The video library did not start. Reload the page to try again.');
    this.Video = Video;
    try {
      this.room = await this.#connectVideo(session, tracks);
    } catch (e) {
      if (e && e.code === ROOM_FULL) {
        this.emit('video-full', {
          message: 'A Twilio video room holds at most 50 people, so you are in the chat only: you can read and write'
            + ' messages. Try the video again when someone has left.',
          manual: true,
        });
        this.#startChat(session);
        return;
      }
      throw new Error(`Could not join the video room: ${e && e.message ? e.message : e}`);
    }
    if (this.closed) {
      this.room.disconnect();
      return;
    }
    this.#watchRoom(this.room);
    // Chat joins in the background: the call must not wait for it, nor fail with it.
    this.#startChat(session);
  }

  // --- video -------------------------------------------------------------------------------------

  #connectVideo(session, tracks) {
    return this.Video.connect(session.token, {
      name: session.room,
      tracks,
      // Group rooms only: who speaks loudest, and each participant's network quality level (0-5).
      dominantSpeaker: true,
      networkQuality: { local: 1, remote: 1 },
    });
  }

  /** One more try at the video room, when the person asks for it after a full room (never on a timer). */
  async takeVideo(tracks) {
    if (this.room || this.closed) return;
    let room;
    try {
      room = await this.#connectVideo(this.session, tracks);
    } catch (e) {
      if (e && e.code === ROOM_FULL) throw new Error('The call is still full (50 people). Try again when someone has left.');
      throw new Error(`Could not join the video room: ${e && e.message ? e.message : e}`);
    }
    if (this.closed) {
      room.disconnect();
      return;
    }
    this.room = room;
    this.#watchRoom(room);
  }

  /** Publishes another camera or microphone in place of the current one (unpublish, then publish). */
  async replaceTrack(kind, track, old) {
    if (!this.room) return;
    const participant = this.room.localParticipant;
    const publications = kind === 'audio' ? participant.audioTracks : participant.videoTracks;
    const gone = [];
    publications.forEach((publication) => {
      const t = publication.track;
      if (t && t.name !== SCREEN_TRACK_NAME && (!old || t.mediaStreamTrack === old)) gone.push(t);
    });
    for (const t of gone) participant.unpublishTrack(t);
    const replacement = kind === 'audio' ? new this.Video.LocalAudioTrack(track) : new this.Video.LocalVideoTrack(track);
    await participant.publishTrack(replacement);
  }

  #watchRoom(room) {
    room.participants.forEach((p) => this.#participant(p));
    room.on('participantConnected', (p) => this.#participant(p));
    room.on('participantDisconnected', (p) => this.emit('participant-left', { identity: p.identity }));
    room.on('dominantSpeakerChanged', (p) => this.#dominantSpeaker(p));
    this.#networkQuality(room.localParticipant, this.identity);
    room.on('reconnecting', () => this.emit('video-state', { state: 'reconnecting' }));
    room.on('reconnected', () => this.emit('video-state', { state: 'connected' }));
    room.on('disconnected', (_room, error) => {
      if (this.closed) return;
      this.emit('ended', { message: error && error.message ? `The call ended: ${error.message}` : 'The call ended.' });
    });
    this.emit('video-state', { state: 'connected' });
  }

  #dominantSpeaker(p) {
    const identity = p ? p.identity : null;
    if (this.speaker && this.speaker !== identity) this.emit('speaking', { identity: this.speaker, speaking: false });
    this.speaker = identity;
    if (identity) this.emit('speaking', { identity, speaking: true });
  }

  #networkQuality(p, identity) {
    if (!p || typeof p.on !== 'function') return;
    const report = (level) => {
      if (typeof level === 'number') this.emit('network-quality', { identity, level });
    };
    report(p.networkQualityLevel);
    p.on('networkQualityLevelChanged', report);
  }

  #participant(p) {
    this.emit('participant-joined', { identity: p.identity, video: true });
    this.#networkQuality(p, p.identity);
    p.tracks.forEach((publication) => {
      if (publication.track) this.#subscribed(p, publication.track);
    });
    p.on('trackSubscribed', (track) => this.#subscribed(p, track));
    p.on('trackUnsubscribed', (track) => {
      if (track.mediaStreamTrack) {
        this.emit('track-removed', { identity: p.identity, source: sourceOf(track), track: track.mediaStreamTrack });
      }
    });
    p.on('trackDisabled', (track) => this.emit('track-enabled', { identity: p.identity, kind: track.kind, enabled: false }));
    p.on('trackEnabled', (track) => this.emit('track-enabled', { identity: p.identity, kind: track.kind, enabled: true }));
  }

  #subscribed(p, track) {
    if (track.kind !== 'audio' && track.kind !== 'video') return; // data tracks carry no media
    this.emit('track-added', { identity: p.identity, source: sourceOf(track), track: track.mediaStreamTrack });
  }

  setTrackEnabled(kind, enabled) {
    if (!this.room) return;
    const publications = kind === 'audio' ? this.room.localParticipant.audioTracks : this.room.localParticipant.videoTracks;
    publications.forEach((publication) => {
      const track = publication.track;
      if (!track || track.name === SCREEN_TRACK_NAME) return;
      if (enabled) track.enable(); else track.disable();
    });
  }

  async startScreenShare(track) {
    this.screen = new this.Video.LocalVideoTrack(track, { name: SCREEN_TRACK_NAME });
    await this.room.localParticipant.publishTrack(this.screen);
  }

  stopScreenShare() {
    if (!this.screen || !this.room) return;
    this.room.localParticipant.unpublishTrack(this.screen);
    this.screen = null;
  }

  // --- chat --------------------------------------------------------------------------------------

  async #startChat(session) {
    if (!session.chat || !session.conversation_sid) {
      this.emit('chat-state', { state: 'unavailable', message: 'the chat service is not available right now' });
      return;
    }
    // chat_status "pending": the server queued our enrollment behind Twilio's per-conversation rate
    // limit (a crowd joining at once). The video is already joining; chat opens once we are a participant.
    const pending = session.chat_status === 'pending';
    this.emit('chat-state', pending ? { state: 'connecting', message: 'Chat connecting…' } : { state: 'connecting' });
    try {
      await loadVendorScript(CHAT_SDK);
      const Conversations = window.Twilio && window.Twilio.Conversations;
      if (!Conversations) throw new Error('the chat library did not start');
      const client = new Conversations.Client(session.token);
      this.client = client;
      client.on('tokenAboutToExpire', () => this.#renewChatToken());
      client.on('tokenExpired', () => this.#renewChatToken());
      client.on('connectionStateChanged', (state) => this.#chatConnection(state));
      await initialized(client);
      if (this.closed) return;
      const conversation = await joinedConversation(client, session.conversation_sid, () => this.closed);
      if (this.closed) return;
      this.conversation = conversation;
      conversation.on('messageAdded', (m) => this.emit('chat-message', { message: toMessage(m) }));
      conversation.on('typingStarted', (p) => {
        if (p && p.identity && p.identity !== this.identity) this.emit('typing', { identity: p.identity });
      });
      conversation.on('typingEnded', (p) => {
        if (p && p.identity) this.emit('typing-ended', { identity: p.identity });
      });
      this.page = await conversation.getMessages(PAGE_SIZE);
      const read = Number.isInteger(conversation.lastReadMessageIndex) ? conversation.lastReadMessageIndex : null;
      this.emit('chat-history', { messages: this.page.items.map(toMessage), more: this.page.hasPrevPage, read });
      this.emit('chat-state', { state: 'ready' });
    } catch (e) {
      if (this.closed) return;
      this.#shutdownChat();
      this.emit('chat-state', { state: 'unavailable', message: `chat could not connect (${e && e.message ? e.message : e})` });
    }
  }

  #chatConnection(state) {
    if (this.closed || !this.conversation) return;
    if (state === 'connecting' || state === 'disconnected') this.emit('chat-state', { state: 'reconnecting' });
    else if (state === 'connected') this.emit('chat-state', { state: 'ready' });
    else if (state === 'denied') {
      this.#shutdownChat();
      this.emit('chat-state', { state: 'unavailable', message: 'chat access was denied' });
    }
  }

  async #renewChatToken() {
    if (!this.tokenNeeded || this.closed) return;
    try {
      // The page's refresh logs in again and then calls updateToken() below.
      await this.tokenNeeded();
    } catch (e) {
      this.emit('notice', { message: `Could not renew the chat session: ${e.message || e}` });
    }
  }

  async updateToken(session) {
    this.session = session;
    if (this.client) await this.client.updateToken(session.token);
    // A connected video room needs no new token; Twilio re-uses its own session for reconnects.
  }

  async sendChat(text) {
    if (!this.conversation) throw new Error('chat is not connected');
    await this.conversation.sendMessage(text);
  }

  sendTyping() {
    // The SDK throttles typing() itself and sends typingEnded after a pause.
    if (this.conversation && typeof this.conversation.typing === 'function') this.conversation.typing();
  }

  /** The read horizon is the Conversations participant's last read message index. */
  markRead(seq) {
    const c = this.conversation;
    if (!c || !Number.isInteger(seq)) return;
    const advance = typeof c.advanceLastReadMessageIndex === 'function' ? c.advanceLastReadMessageIndex
      : c.updateLastReadMessageIndex;
    if (typeof advance === 'function') {
      Promise.resolve(advance.call(c, seq)).catch((e) => console.warn('callchat: could not store the read horizon', e));
    }
  }

  async sendFile(file) {
    if (!this.conversation) throw new Error('chat is not connected');
    const type = (file.type || '').toLowerCase();
    if (!MEDIA_TYPES.includes(type)) throw new Error('only PNG, JPEG, GIF and WebP images, PDF documents and plain text can be shared');
    if (file.size > MAX_MEDIA_BYTES) throw new Error(`a shared file may be at most ${MAX_MEDIA_BYTES} bytes`);
    await this.conversation.prepareMessage()
      .setBody(file.name || 'file')
      .addMedia({ contentType: type, filename: file.name || 'file', media: file })
      .build()
      .send();
  }

  /** @returns {Promise<Blob>} a media message's content, via its short-lived Twilio URL */
  async fetchFile(file) {
    if (!file.media) throw new Error('this file is not available');
    const url = await file.media.getContentTemporaryUrl();
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) throw new Error(`the file could not be fetched (HTTP ${response.status})`);
    return response.blob();
  }

  async loadOlder() {
    if (!this.page || !this.page.hasPrevPage) return;
    this.page = await this.page.prevPage();
    this.emit('chat-older', { messages: this.page.items.map(toMessage), more: this.page.hasPrevPage });
  }

  #shutdownChat() {
    const client = this.client;
    this.client = null;
    this.conversation = null;
    if (client) {
      try {
        client.removeAllListeners();
        client.shutdown();
      } catch { /* already down */ }
    }
  }

  disconnect() {
    if (this.closed) return;
    this.closed = true;
    if (this.screen) this.stopScreenShare();
    if (this.room) this.room.disconnect();
    this.#shutdownChat();
  }
}

function sourceOf(track) {
  return track.name === SCREEN_TRACK_NAME ? 'screen' : 'camera';
}

function toMessage(m) {
  const message = { id: m.sid || m.index, seq: m.index, author: m.author, text: String(m.body ?? ''), at: m.dateCreated || null };
  const media = Array.isArray(m.attachedMedia) && m.attachedMedia.length ? m.attachedMedia[0] : null;
  if (media) {
    const type = String(media.contentType || '').toLowerCase();
    message.file = {
      id: media.sid, name: String(media.filename || 'file'), type, size: Number(media.size) || 0,
      image: IMAGE_TYPES.includes(type), media,
    };
    if (!message.text) message.text = message.file.name;
  }
  return message;
}

/** Resolves when a Conversations client is ready; rejects if it fails or takes too long. */
function initialized(client) {
  if (client.state === 'initialized') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), CHAT_INIT_TIMEOUT_MS);
    client.on('stateChanged', (state) => {
      if (state === 'initialized') { clearTimeout(timer); resolve(); }
      if (state === 'failed') { clearTimeout(timer); reject(new Error('initialisation failed')); }
    });
    client.on('initFailed', ({ error } = {}) => {
      clearTimeout(timer);
      reject(new Error(error && error.message ? error.message : 'initialisation failed'));
    });
  });
}


/**
 * The conversation, once this user is one of its participants. The Conversations SDK (3.x) cannot
 * get a conversation its user is not a participant of: getConversationBySid rejects ("Conversation
 * with SID … was not found."), and the client fires conversationJoined when the participant is added.
 * So: ask at once (the usual case, enrolled before the token came back); otherwise wait for
 * conversationJoined, asking again with back-off in case the event came before we listened.
 */
function joinedConversation(client, sid, isClosed) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let done = false;
    let timer = null;
    let delay = 1000;
    const finish = (settle, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      settle(value);
    };
    client.on('conversationJoined', (conversation) => {
      if (conversation && conversation.sid === sid) finish(resolve, conversation);
    });
    const ask = () => {
      if (done) return;
      if (isClosed()) {
        finish(reject, new Error('left'));
        return;
      }
      client.getConversationBySid(sid).then((conversation) => finish(resolve, conversation), (e) => {
        if (Date.now() - started >= JOIN_WAIT_MS) {
          finish(reject, new Error(`not added to the chat in time (${e && e.message ? e.message : e})`));
          return;
        }
        timer = setTimeout(ask, delay);
        delay = Math.min(delay * 2, JOIN_RETRY_MAX_MS);
      });
    };
    ask();
  });
}

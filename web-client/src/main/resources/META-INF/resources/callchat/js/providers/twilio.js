// The Twilio provider: Programmable Video for media, Conversations for chat, both from the SDK bundles
// that the build vendors into vendor/ (loaded only when this provider is used).

import { ProviderEvents } from './events.js';
import { loadVendorScript } from '../load-script.js';

const VIDEO_SDK = 'vendor/video.js';
const CHAT_SDK = 'vendor/conversations.js';
const CHAT_INIT_TIMEOUT_MS = 20000;
const PAGE_SIZE = 30;
const SCREEN_TRACK_NAME = 'screen';

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
      this.room = await Video.connect(session.token, { name: session.room, tracks });
    } catch (e) {
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

  #watchRoom(room) {
    room.participants.forEach((p) => this.#participant(p));
    room.on('participantConnected', (p) => this.#participant(p));
    room.on('participantDisconnected', (p) => this.emit('participant-left', { identity: p.identity }));
    room.on('reconnecting', () => this.emit('video-state', { state: 'reconnecting' }));
    room.on('reconnected', () => this.emit('video-state', { state: 'connected' }));
    room.on('disconnected', (_room, error) => {
      if (this.closed) return;
      this.emit('ended', { message: error && error.message ? `The call ended: ${error.message}` : 'The call ended.' });
    });
    this.emit('video-state', { state: 'connected' });
  }

  #participant(p) {
    this.emit('participant-joined', { identity: p.identity, video: true });
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
    this.emit('chat-state', { state: 'connecting' });
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
      const conversation = await client.getConversationBySid(session.conversation_sid);
      if (this.closed) return;
      this.conversation = conversation;
      conversation.on('messageAdded', (m) => this.emit('chat-message', { message: toMessage(m) }));
      this.page = await conversation.getMessages(PAGE_SIZE);
      this.emit('chat-history', { messages: this.page.items.map(toMessage), more: this.page.hasPrevPage });
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
  return { id: m.sid || m.index, author: m.author, text: String(m.body ?? ''), at: m.dateCreated || null };
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

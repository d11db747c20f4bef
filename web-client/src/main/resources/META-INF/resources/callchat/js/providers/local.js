// The local provider: the server's /local/ws hub relays chat and WebRTC signalling; media flows
// peer to peer, one RTCPeerConnection per other participant (a mesh), negotiated with the
// "perfect negotiation" pattern so either side may offer at any time.

import { ProviderEvents } from './events.js';
import { watchLinks } from './link-stats.js';

const PROTOCOL = 1;
const WELCOME_TIMEOUT_MS = 10000;
const PING_EVERY_MS = 25000;
const HISTORY_TIMEOUT_MS = 10000;
const MAX_CHAT = 4096;
const ANSWERER_PATIENCE_MS = 4000;
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000];

const CLOSE_MESSAGES = {
  4401: 'The server refused this session (the login expired or was invalid). Join again.',
  4409: 'You joined this room from another window or tab, so this one was disconnected.',
  4403: 'The host removed you from the call.',
  4410: 'The host ended the call for everyone.',
  4423: 'This room is locked by its host: nobody new can join until the host unlocks it.',
};

/** Close codes of the host's decisions (docs/local-protocol.md): never reconnect after them. */
const MODERATED = new Set([4403, 4410, 4423]);

export class LocalProvider extends ProviderEvents {
  constructor() {
    super();
    this.peers = new Map();
    this.participants = new Map();
    this.cameraStream = new MediaStream();
    this.screenStream = null;
    this.enabled = { audio: true, video: true };
    this.closed = false;
    this.tokenNeeded = null;
    this.pendingHistory = null;
  }

  async connect(session, tracks) {
    this.session = session;
    this.identity = session.identity;
    this.cameraStream = new MediaStream(tracks);
    this.emit('chat-state', { state: 'connecting' });
    await this.#open();
    if (!this.closed && !this.stopStats) {
      this.stopStats = watchLinks(
        () => new Map([...this.peers].map(([identity, peer]) => [identity, peer.pc])),
        (type, detail) => this.emit(type, { ...detail, identity: detail.identity ?? this.identity }));
    }
  }

  // --- the hub connection -------------------------------------------------------------------------

  #open() {
    return new Promise((resolve, reject) => {
      const url = new URL('local/ws', document.baseURI);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      let welcomed = false;
      const ws = new WebSocket(url);
      this.ws = ws;
      const timer = setTimeout(() => {
        if (!welcomed) {
          ws.close(4000, 'no welcome');
          reject(new Error('The call server did not answer in time.'));
        }
      }, WELCOME_TIMEOUT_MS);
      ws.addEventListener('open', () => this.#send({ type: 'auth', token: this.session.token }));
      ws.addEventListener('message', (e) => {
        let frame;
        try {
          frame = JSON.parse(e.data);
        } catch {
          return;
        }
        if (frame.type === 'welcome' && !welcomed) {
          welcomed = true;
          clearTimeout(timer);
          this.attempt = 0;
          this.#welcome(frame);
          resolve();
        } else if (welcomed) {
          this.#receive(frame);
        }
      });
      ws.addEventListener('close', (e) => {
        console.info(`callchat: hub connection closed: ${e.code} ${e.reason}`);
        clearTimeout(timer);
        clearInterval(this.pinger);
        if (ws !== this.ws) return;
        if (!welcomed) {
          const known = CLOSE_MESSAGES[e.code];
          const error = new Error(known ? `${known}${e.reason ? ` (${e.reason})` : ''}`
            : `Could not join the call (connection closed, code ${e.code}${e.reason ? `: ${e.reason}` : ''}).`);
          error.code = e.code;
          reject(error);
          return;
        }
        this.#lost(e);
      });
      this.pinger = setInterval(() => this.#send({ type: 'ping' }), PING_EVERY_MS);
    });
  }

  #welcome(frame) {
    if (frame.protocol !== undefined && frame.protocol !== PROTOCOL) {
      this.emit('notice', { message: `The server speaks protocol ${frame.protocol}; this page expects ${PROTOCOL}. Reload the page.` });
    }
    this.identity = frame.identity || this.identity;
    this.video = frame.video !== false;
    if (!this.video) {
      this.emit('video-full', {
        message: 'The video call already has as many people as a peer-to-peer call carries, so you are in the chat only:'
          + ' you can read and write messages. You will be offered a place in the video when one frees up.',
      });
    }
    const wasReconnecting = this.reconnecting;
    this.reconnecting = false;
    for (const p of frame.participants || []) {
      if (p.identity !== this.identity) this.#joined(p, { newcomer: true });
    }
    this.emit('video-state', { state: 'connected' });
    if (frame.chat === false) {
      this.emit('chat-state', { state: 'unavailable', message: 'this session was granted video only' });
    } else {
      this.emit('chat-state', { state: 'ready' });
    }
    const history = (frame.history || []).map(toMessage);
    const read = Number.isInteger(frame.read) ? frame.read : null;
    this.maxUpload = Number.isInteger(frame.max_upload) ? frame.max_upload : null;
    if ('host' in frame) this.emit('room', { host: frame.host, locked: Boolean(frame.locked) });
    this.emit('chat-history', { messages: history, more: Boolean(frame.more), replay: wasReconnecting, read });
  }

  #receive(frame) {
    switch (frame.type) {
      case 'joined':
        if (frame.identity !== this.identity) this.#joined(frame, { newcomer: false });
        break;
      case 'left':
        this.#left(frame.identity);
        break;
      case 'chat':
        this.emit('chat-message', { message: toMessage(frame) });
        break;
      case 'history':
        if (this.pendingHistory) {
          this.pendingHistory.resolve();
          this.pendingHistory = null;
        }
        this.emit('chat-older', { messages: (frame.messages || []).map(toMessage), more: Boolean(frame.more) });
        break;
      case 'signal':
        this.#signal(frame.from, frame.data);
        break;
      case 'video_slot':
        if (!this.video) this.emit('video-slot', {});
        break;
      case 'promoted':
        this.#promoted();
        break;
      case 'typing':
        if (frame.identity && frame.identity !== this.identity) this.emit('typing', { identity: frame.identity });
        break;
      case 'error':
        this.#error(frame);
        break;
      case 'room':
        this.emit('room', { host: frame.host, locked: Boolean(frame.locked) });
        break;
      case 'moderated':
        // The close that follows says it too; this sentence is the better explanation.
        this.moderated = typeof frame.message === 'string' ? frame.message : null;
        break;
      default:
        break; // pong and future frame types
    }
  }

  #error({ code, message }) {
    if (code === 'video_full' && this.pendingVideo) {
      this.pendingVideo.reject(new Error('Someone else took the free place first, so the call is full again. You stay in the chat.'));
      return;
    }
    // video_full: already explained after welcome. unknown_peer: a signal raced a peer leaving.
    if (code === 'video_full' || code === 'unknown_peer') {
      console.debug(`callchat: ${code}: ${message}`);
      return;
    }
    this.emit('notice', { message: message || `The server reported an error (${code}).` });
  }

  #lost(event) {
    this.#dropPeers();
    if (this.closed) return;
    const fatal = CLOSE_MESSAGES[event.code];
    if (fatal && !(event.code === 4401 && this.tokenNeeded)) {
      this.emit('ended', { message: (MODERATED.has(event.code) && this.moderated) || fatal, code: event.code });
      return;
    }
    if (event.code === 4429) {
      this.emit('notice', { message: 'You sent too many messages too quickly; reconnecting.' });
    }
    this.#reconnect(event.code === 4401);
  }

  async #reconnect(needsToken) {
    this.reconnecting = true;
    this.emit('video-state', { state: 'reconnecting' });
    this.emit('chat-state', { state: 'reconnecting' });
    const delay = RECONNECT_DELAYS_MS[this.attempt || 0];
    if (delay === undefined) {
      this.emit('ended', { message: 'The connection to the call server was lost and could not be restored.' });
      return;
    }
    this.attempt = (this.attempt || 0) + 1;
    await new Promise((r) => setTimeout(r, delay));
    if (this.closed) return;
    try {
      if (needsToken && this.tokenNeeded) {
        this.session = await this.tokenNeeded();
      }
      await this.#open();
      this.retriedAuth = false;
    } catch (e) {
      if (this.closed) return;
      if (e.code === 4409 || MODERATED.has(e.code) || (e.code === 4401 && this.retriedAuth)) {
        this.emit('ended', { message: e.message });
        return;
      }
      if (e.code === 4401) this.retriedAuth = true;
      this.#reconnect(e.code === 4401);
    }
  }

  #send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  // --- participants and peers ---------------------------------------------------------------------

  /** @param newcomer whether we are the one who just arrived (and so make the first offer) */
  #joined({ identity, video }, { newcomer }) {
    const hasVideo = video !== false;
    this.participants.set(identity, { video: hasVideo });
    this.emit('participant-joined', { identity, video: hasVideo });
    if (hasVideo && this.video) this.#peer(identity, newcomer);
  }

  #left(identity) {
    const peer = this.peers.get(identity);
    if (peer) peer.close();
    this.peers.delete(identity);
    this.participants.delete(identity);
    this.emit('participant-left', { identity });
  }

  #dropPeers() {
    for (const identity of [...this.participants.keys()]) this.#left(identity);
  }

  #peer(identity, newcomer = false) {
    let peer = this.peers.get(identity);
    if (!peer) {
      peer = new PeerLink({
        identity,
        // Perfect negotiation needs exactly one polite side; identity order decides it on both ends.
        polite: this.identity < identity,
        // From the login response: STUN/TURN with this session's TURN credentials (docs/local-protocol.md).
        iceServers: iceServersOf(this.session),
        send: (data) => this.#send({ type: 'signal', to: identity, data }),
        emit: (type, detail) => this.emit(type, { identity, ...detail }),
      });
      this.peers.set(identity, peer);
      peer.start(this.cameraStream, this.screenStream, this.enabled, newcomer);
    }
    return peer;
  }

  #signal(from, data) {
    if (!from || !data || from === this.identity || !this.video) return;
    const known = this.participants.get(from);
    if (known && !known.video) return;
    this.#peer(from).receive(data);
  }

  /**
   * Asks the hub for a freed video place; resolves once we are a video member (and offer to everyone).
   * @param {MediaStreamTrack[]} tracks the camera and microphone to send from now on
   */
  takeVideo(tracks) {
    if (this.video) return Promise.resolve();
    if (this.pendingVideo) return this.pendingVideo.promise;
    let settle;
    const promise = new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error('The call server did not answer. Try again.')), HISTORY_TIMEOUT_MS);
      settle = (error) => {
        clearTimeout(timer);
        this.pendingVideo = null;
        if (error) reject(error); else resolve();
      };
    });
    this.pendingVideo = { promise, tracks, resolve: () => settle(null), reject: (e) => settle(e) };
    if (!this.#send({ type: 'take_video' })) settle(new Error('Not connected to the call server right now. Try again.'));
    return promise;
  }

  #promoted() {
    const pending = this.pendingVideo;
    if (this.video) {
      if (pending) pending.resolve();
      return;
    }
    this.video = true;
    this.enabled = { audio: true, video: true };
    this.cameraStream = new MediaStream(pending ? pending.tracks : []);
    // We are the newcomer to every video member: we make the first offer (docs/local-protocol.md).
    for (const [identity, p] of this.participants) if (p.video) this.#peer(identity, true);
    if (pending) pending.resolve();
  }

  /**
   * Sends another camera or microphone in place of the current one, without renegotiating where a sender
   * exists (RTCRtpSender.replaceTrack); a kind we had no device for is added (and renegotiated).
   */
  async replaceTrack(kind, track, old) {
    if (old) this.cameraStream.removeTrack(old);
    this.cameraStream.addTrack(track);
    await Promise.all([...this.peers.values()].map((peer) => peer.replaceTrack(kind, track, old)));
  }

  // --- the controls -------------------------------------------------------------------------------

  setTrackEnabled(kind, enabled) {
    this.enabled[kind] = enabled;
    for (const track of this.cameraStream.getTracks()) if (track.kind === kind) track.enabled = enabled;
    for (const peer of this.peers.values()) peer.sendState(this.enabled);
  }

  startScreenShare(track) {
    this.screenStream = new MediaStream([track]);
    for (const peer of this.peers.values()) peer.setScreen(this.screenStream);
  }

  stopScreenShare() {
    this.screenStream = null;
    for (const peer of this.peers.values()) peer.setScreen(null);
  }

  async sendChat(text) {
    if (text.length > MAX_CHAT) throw new Error(`messages are limited to ${MAX_CHAT} characters`);
    if (!this.#send({ type: 'chat', text })) throw new Error('not connected');
  }

  /** Tells the room we are typing; the page throttles, the hub throttles again. */
  sendTyping() {
    this.#send({ type: 'typing' });
  }

  /** Moves our read horizon (kept by the hub, returned in the next welcome) to a message id. */
  markRead(seq) {
    if (Number.isInteger(seq) && seq > 0) this.#send({ type: 'read', id: seq });
  }

  /** Uploads a file to the room; the hub announces it as a chat message with a `file`. */
  async sendFile(file) {
    if (this.maxUpload && file.size > this.maxUpload) {
      throw new Error(`${file.name} is ${megabytes(file.size)}; files are limited to ${megabytes(this.maxUpload)}`);
    }
    let response;
    try {
      response = await fetch(new URL('local/files', document.baseURI), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.session.token}`,
          'X-File-Name': encodeURIComponent(file.name || 'file'),
          'Content-Type': 'application/octet-stream',
        },
        body: file,
        cache: 'no-store',
      });
    } catch {
      throw new Error('the file could not be sent (connection problem)');
    }
    if (!response.ok) throw new Error(await problemDetail(response));
    return response.json();
  }

  /** @returns {Promise<Blob>} a shared file's content, fetched with our token */
  async fetchFile(file) {
    const response = await fetch(new URL(`local/files/${encodeURIComponent(file.id)}`, document.baseURI), {
      headers: { Authorization: `Bearer ${this.session.token}` },
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(await problemDetail(response));
    return response.blob();
  }

  loadOlder(beforeId) {
    if (this.pendingHistory) return this.pendingHistory.promise;
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    this.pendingHistory = { promise, resolve };
    const timer = setTimeout(() => {
      if (this.pendingHistory && this.pendingHistory.promise === promise) {
        this.pendingHistory = null;
        resolve();
      }
    }, HISTORY_TIMEOUT_MS);
    promise.then(() => clearTimeout(timer));
    if (!this.#send({ type: 'history', before: beforeId })) {
      this.pendingHistory = null;
      resolve();
    }
    return promise;
  }

  updateToken(session) {
    // The open socket stays authenticated; the new token is for the next reconnect. The TURN credentials
    // expire with the old token, so live links take the new ones now.
    this.session = session;
    for (const peer of this.peers.values()) peer.setIceServers(iceServersOf(session));
  }

  disconnect() {
    if (this.closed) return;
    this.closed = true;
    if (this.pendingVideo) this.pendingVideo.reject(new Error('You left the call.'));
    clearInterval(this.pinger);
    if (this.stopStats) this.stopStats();
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    this.participants.clear();
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000, 'left');
  }
}

/** One RTCPeerConnection to one other participant. */
class PeerLink {
  constructor({ identity, polite, iceServers, send, emit }) {
    this.identity = identity;
    this.polite = polite;
    this.send = send;
    this.emit = emit;
    this.iceServers = iceServers;
    this.pc = new RTCPeerConnection({ iceServers });
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswer = false;
    this.remoteScreenId = null;
    this.remote = new Map(); // track -> source
    this.senders = { screen: null };
    this.queue = Promise.resolve();

    this.pc.addEventListener('negotiationneeded', async () => {
      try {
        this.makingOffer = true;
        await this.pc.setLocalDescription();
        this.send({ description: this.pc.localDescription });
      } catch (e) {
        console.warn(`callchat: offer to ${identity} failed`, e);
      } finally {
        this.makingOffer = false;
      }
    });
    this.gathered = 0;
    this.turnRefused = false;
    this.pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate) return;
      if (candidate.candidate) this.gathered += 1;
      this.send({ candidate });
    });
    this.pc.addEventListener('icecandidateerror', (e) => {
      // 401 from a TURN server: it refused this session's credentials (a CALLCHAT_TURN_SECRET mismatch).
      if (e.errorCode === 401) this.turnRefused = true;
      console.warn(`callchat: ICE server ${e.url} answered ${e.errorCode} ${e.errorText}`);
    });
    this.pc.addEventListener('icegatheringstatechange', () => {
      const state = this.pc.iceGatheringState;
      if (state === 'gathering') {
        this.gathered = 0;
      } else if (state === 'complete' && this.gathered === 0 && this.pc.connectionState !== 'closed') {
        // Not one address to offer (relay-only browsers or networks whose relay refused us): ICE would
        // wait in "new" forever, so report the failure now. No restart: it would gather the same nothing.
        this.#reportState('failed');
      }
    });
    this.pc.addEventListener('track', ({ track, streams }) => this.#track(track, streams[0]));
    this.pc.addEventListener('connectionstatechange', () => {
      const state = this.pc.connectionState;
      // 'failed': no candidate pair worked (typically both behind NATs without a TURN relay). Say so on the
      // tile, and keep trying: an ICE restart may still succeed once the network changes.
      if (state === 'failed') this.pc.restartIce();
      this.#reportState(state);
    });
  }

  #reportState(state) {
    this.emit('peer-state', { state, relayConfigured: this.iceServers.some((s) => s.username), relayRefused: this.turnRefused });
  }

  /** Fresh TURN credentials: an ICE restart gathers relay candidates with them (the old ones are expiring). */
  setIceServers(iceServers) {
    if (this.pc.signalingState === 'closed') return;
    this.iceServers = iceServers;
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
      if (iceServers.some((s) => s.username)) this.pc.restartIce();
    } catch (e) {
      console.warn(`callchat: new ICE servers for ${this.identity} refused`, e);
    }
  }

  // Both sides offering at once (glare) is legal under perfect negotiation, but a rolled-back offer's
  // ICE candidates are not gathered again, which can leave the connection stuck in "new". So the first
  // exchange has one offerer, as docs/local-protocol.md suggests: the newcomer offers (with receive
  // slots for audio and video even without devices) and the member already there attaches its tracks
  // when that offer arrives, answering with them. Later changes (screen share) renegotiate from either side.
  start(cameraStream, screenStream, enabled, newcomer) {
    this.local = { cameraStream, screenStream, enabled, attached: false };
    if (newcomer) {
      this.#attachLocal();
      for (const kind of ['audio', 'video']) {
        if (!cameraStream.getTracks().some((t) => t.kind === kind)) this.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    } else {
      // Should the newcomer's offer never come, offer ourselves rather than stay silent.
      this.attachTimer = setTimeout(() => this.#attachLocal(), ANSWERER_PATIENCE_MS);
    }
  }

  #attachLocal() {
    if (this.local.attached || this.pc.signalingState === 'closed') return;
    this.local.attached = true;
    clearTimeout(this.attachTimer);
    const { cameraStream, screenStream, enabled } = this.local;
    for (const track of cameraStream.getTracks()) this.pc.addTrack(track, cameraStream);
    if (screenStream) this.setScreen(screenStream);
    if (!enabled.audio || !enabled.video) this.sendState(enabled);
  }

  setScreen(stream) {
    if (!this.local.attached) {
      this.local.screenStream = stream; // sent once the first exchange attaches our media
      return;
    }
    if (this.senders.screen) {
      this.pc.removeTrack(this.senders.screen);
      this.senders.screen = null;
    }
    // Tell the peer which stream is the screen before the offer that carries it (same socket, in order).
    this.send({ screen: stream ? stream.id : null });
    if (stream) this.senders.screen = this.pc.addTrack(stream.getVideoTracks()[0], stream);
  }

  async replaceTrack(kind, track, old) {
    if (!this.local.attached || this.pc.signalingState === 'closed') return; // attaching later reads the camera stream
    const screen = this.senders.screen;
    const sender = this.pc.getSenders().find((s) => s !== screen && s.track && (old ? s.track === old : s.track.kind === kind));
    if (sender) {
      await sender.replaceTrack(track);
    } else {
      this.pc.addTrack(track, this.local.cameraStream);
    }
  }

  sendState(enabled) {
    if (!this.local.attached) return; // #attachLocal sends the state then
    this.send({ enabled: { audio: enabled.audio, video: enabled.video } });
  }

  receive(data) {
    // One message at a time: each step awaits the previous one's effect on the connection's state.
    this.queue = this.queue.then(() => this.#handle(data)).catch((e) => console.warn(`callchat: signal from ${this.identity}`, e));
  }

  async #handle(data) {
    if (data.description) {
      const description = data.description;
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswer = description.type === 'answer';
      await this.pc.setRemoteDescription(description);
      this.settingRemoteAnswer = false;
      if (description.type === 'offer') {
        // addTrack now reuses the offer's transceivers, so the answer carries our media: no second round.
        this.#attachLocal();
        await this.pc.setLocalDescription();
        this.send({ description: this.pc.localDescription });
      }
    } else if (data.candidate) {
      try {
        await this.pc.addIceCandidate(data.candidate);
      } catch (e) {
        if (!this.ignoreOffer) throw e;
      }
    } else if ('screen' in data) {
      this.remoteScreenId = data.screen;
      if (!data.screen) {
        for (const [track, source] of this.remote) {
          if (source === 'screen') this.#untrack(track);
        }
      }
    } else if (data.enabled) {
      for (const kind of ['audio', 'video']) {
        if (typeof data.enabled[kind] === 'boolean') this.emit('track-enabled', { kind, enabled: data.enabled[kind] });
      }
    }
  }

  #track(track, stream) {
    const source = stream && stream.id === this.remoteScreenId ? 'screen' : 'camera';
    this.remote.set(track, source);
    this.emit('track-added', { source, track });
    if (stream) {
      stream.addEventListener('removetrack', (e) => {
        if (e.track === track) this.#untrack(track);
      });
    }
    track.addEventListener('ended', () => this.#untrack(track));
  }

  #untrack(track) {
    const source = this.remote.get(track);
    if (!source) return;
    this.remote.delete(track);
    this.emit('track-removed', { source, track });
  }

  close() {
    clearTimeout(this.attachTimer);
    this.pc.close();
    this.remote.clear();
  }
}

function iceServersOf(session) {
  return Array.isArray(session && session.ice_servers) ? session.ice_servers : [];
}

function toMessage(frame) {
  const message = { id: frame.id, seq: frame.id, author: frame.author, text: String(frame.text ?? ''), at: frame.at || null };
  const f = frame.file;
  if (f && typeof f.id === 'string') {
    message.file = {
      id: f.id, name: String(f.name ?? 'file'), type: String(f.type ?? ''), size: Number(f.size) || 0, image: f.image === true,
    };
  }
  return message;
}

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    if (problem && (problem.detail || problem.title)) return String(problem.detail || problem.title);
  } catch { /* not problem+json */ }
  return `the server answered HTTP ${response.status}`;
}

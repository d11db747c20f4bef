// The page: join form, call controls, and the glue between the grid, the chat panel and a provider.

import { login, LoginError } from './api.js';
import { openCameraAndMic, openScreen, stopAll } from './media.js';
import { Grid } from './grid.js';
import { ChatPanel } from './chat-panel.js';
import { createProvider } from './providers/provider.js';

// Refresh this long before the token expires (or halfway, for short-lived tokens).
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const MIN_REFRESH_MS = 10 * 1000;

const $ = (id) => document.getElementById(id);

class CallPage {
  constructor() {
    this.form = $('join-form');
    this.joinButton = $('join');
    this.call = $('call');
    this.status = $('status');
    this.videoNote = $('video-note');
    this.mic = $('mic');
    this.camera = $('camera');
    this.share = $('share');
    this.grid = new Grid($('grid'));
    this.chat = new ChatPanel(document);
    this.session = null;
    this.provider = null;
    this.tracks = [];
    this.screenTrack = null;
    this.refreshTimer = null;
    this.refreshing = null;

    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.join(); });
    $('leave').addEventListener('click', () => this.leave());
    $('notice-close').addEventListener('click', () => this.clearNotice());
    this.mic.addEventListener('click', () => this.toggleTrack('audio', this.mic));
    this.camera.addEventListener('click', () => this.toggleTrack('video', this.camera));
    this.share.addEventListener('click', () => this.toggleShare());
    window.addEventListener('pagehide', () => this.leave({ quiet: true }));
    // Exposed for diagnostics and tests; it holds no secrets beyond what the page already has.
    window.callchat = this;
  }

  async join() {
    const username = $('username').value.trim();
    const room = $('room').value.trim();
    if (!username) {
      this.showNotice('Please enter your name.');
      $('username').focus();
      return;
    }
    this.clearNotice();
    this.joinButton.disabled = true;
    this.setStatus('Joining…');
    try {
      this.username = username;
      this.roomName = room;
      this.session = await login(username, room);
      const media = await openCameraAndMic();
      this.tracks = media.tracks;
      if (media.problem) this.showNotice(media.problem);
      this.provider = this.#createProvider(this.session);
      this.form.hidden = true;
      this.call.hidden = false;
      this.grid.showLocal(this.session.identity, this.tracks);
      this.#resetControls();
      const provider = this.provider;
      this.chat.start(this.session.identity, {
        onSend: (text) => provider.sendChat(text),
        onOlder: (before) => provider.loadOlder(before),
        onTyping: () => provider.sendTyping && provider.sendTyping(),
        onRead: (seq) => provider.markRead && provider.markRead(seq),
        onFile: provider.sendFile ? (file) => provider.sendFile(file) : null,
        fetchFile: (file) => provider.fetchFile(file),
      });
      if (!this.session.chat) this.chat.setAvailable(false, 'the chat service is not available right now');
      await this.provider.connect(this.session, this.tracks);
      this.setStatus(`In "${this.session.room}" as ${this.session.identity}`);
      this.#scheduleRefresh();
    } catch (e) {
      const message = e instanceof LoginError ? e.message : (e && e.message) || String(e);
      this.#teardown();
      this.showNotice(message);
      this.setStatus('');
    } finally {
      this.joinButton.disabled = false;
    }
  }

  #createProvider(session) {
    const provider = createProvider(session);
    provider.tokenNeeded = () => this.refresh();
    const on = (type, fn) => provider.addEventListener(type, (e) => { if (this.provider === provider) fn(e.detail); });
    on('participant-joined', ({ identity, video }) => this.grid.addParticipant(identity, { video }));
    on('participant-left', ({ identity }) => this.grid.removeParticipant(identity));
    on('track-added', ({ identity, source, track }) => this.grid.addTrack(identity, source, track));
    on('track-removed', ({ identity, source, track }) => this.grid.removeTrack(identity, source, track));
    on('track-enabled', ({ identity, kind, enabled }) => this.grid.setTrackEnabled(identity, kind, enabled));
    on('video-state', ({ state }) => {
      document.body.classList.toggle('video-reconnecting', state === 'reconnecting');
      this.videoNote.hidden = state !== 'reconnecting';
      this.videoNote.textContent = state === 'reconnecting' ? 'Reconnecting the call…' : '';
    });
    on('chat-state', ({ state, message }) => {
      if (state === 'unavailable') this.chat.setAvailable(false, message);
      else if (state === 'connecting') this.chat.setState('connecting…');
      else if (state === 'reconnecting') this.chat.setState('reconnecting…');
      else {
        this.chat.setAvailable(true);
        this.chat.setState('');
      }
    });
    on('chat-history', ({ messages, more, read }) => this.chat.showHistory(messages, more, read));
    on('typing', ({ identity }) => this.chat.showTyping(identity));
    on('typing-ended', ({ identity }) => this.chat.clearTyping(identity));
    on('speaking', ({ identity, speaking }) => this.grid.setSpeaking(identity, speaking));
    on('network-quality', ({ identity, level }) => this.grid.setNetworkQuality(identity, level));
    on('peer-state', ({ identity, state, ...why }) => this.grid.setPeerState(identity, state, why));
    on('chat-older', ({ messages, more }) => this.chat.prependOlder(messages, more));
    on('chat-message', ({ message }) => this.chat.add(message));
    on('notice', ({ message }) => this.showNotice(message));
    on('ended', ({ message }) => {
      this.leave({ quiet: true });
      this.showNotice(message);
    });
    return provider;
  }

  /** Logs in again for a fresh token and hands it to the provider; concurrent callers share one call. */
  refresh() {
    if (!this.refreshing) {
      const provider = this.provider;
      this.refreshing = login(this.username, this.roomName)
        .then(async (session) => {
          if (this.provider !== provider) return session;
          this.session = session;
          await provider.updateToken(session);
          this.#scheduleRefresh();
          return session;
        })
        .finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  #scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    const expires = Date.parse(this.session.expires_at);
    if (Number.isNaN(expires)) return;
    const left = expires - Date.now();
    const wait = Math.max(MIN_REFRESH_MS, left > 2 * REFRESH_MARGIN_MS ? left - REFRESH_MARGIN_MS : left / 2);
    this.refreshTimer = setTimeout(() => {
      this.refresh().catch((e) => {
        this.showNotice(`Could not renew your session (${e.message}); you may need to rejoin if the connection drops.`);
        this.refreshTimer = setTimeout(() => this.#scheduleRefresh(), MIN_REFRESH_MS);
      });
    }, wait);
  }

  toggleTrack(kind, button) {
    if (!this.provider) return;
    const off = button.getAttribute('aria-pressed') !== 'true';
    this.provider.setTrackEnabled(kind, !off);
    this.grid.setLocalTrackEnabled(kind, !off);
    button.setAttribute('aria-pressed', String(off));
    if (kind === 'audio') button.textContent = off ? 'Unmute' : 'Mute';
    else button.textContent = off ? 'Camera on' : 'Camera off';
  }

  async toggleShare() {
    if (!this.provider) return;
    if (this.screenTrack) {
      this.#stopShare();
      return;
    }
    try {
      const track = await openScreen();
      if (!track || !this.provider) return;
      this.screenTrack = track;
      // The browser's own "Stop sharing" button ends the track.
      track.addEventListener('ended', () => { if (this.screenTrack === track) this.#stopShare(); });
      await this.provider.startScreenShare(track);
      this.grid.setLocalScreen(track, this.session.identity);
      this.share.setAttribute('aria-pressed', 'true');
      this.share.textContent = 'Stop sharing';
    } catch (e) {
      this.showNotice(e.message || String(e));
      if (this.screenTrack) this.#stopShare();
    }
  }

  #stopShare() {
    const track = this.screenTrack;
    this.screenTrack = null;
    if (this.provider) this.provider.stopScreenShare();
    if (track) track.stop();
    this.grid.setLocalScreen(null);
    this.share.setAttribute('aria-pressed', 'false');
    this.share.textContent = 'Share screen';
  }

  leave({ quiet = false } = {}) {
    if (!this.provider && !this.tracks.length) return;
    this.#teardown();
    if (!quiet) this.setStatus('You left the call.');
  }

  #teardown() {
    clearTimeout(this.refreshTimer);
    const provider = this.provider;
    this.provider = null;
    if (provider) provider.disconnect();
    if (this.screenTrack) this.#stopShare();
    stopAll(this.tracks);
    this.tracks = [];
    this.grid.clear();
    this.chat.reset();
    document.body.classList.remove('video-reconnecting');
    this.videoNote.hidden = true;
    this.call.hidden = true;
    this.form.hidden = false;
  }

  #resetControls() {
    for (const [button, text] of [[this.mic, 'Mute'], [this.camera, 'Camera off'], [this.share, 'Share screen']]) {
      button.setAttribute('aria-pressed', 'false');
      button.textContent = text;
    }
    const hasKind = (kind) => this.tracks.some((t) => t.kind === kind);
    this.mic.disabled = !hasKind('audio');
    this.camera.disabled = !hasKind('video');
    this.share.disabled = !(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  showNotice(text) {
    $('notice-text').textContent = text;
    $('notice').hidden = false;
  }

  clearNotice() {
    $('notice').hidden = true;
    $('notice-text').textContent = '';
  }
}

new CallPage();

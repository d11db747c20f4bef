// The page: join form, call controls, and the glue between the grid, the chat panel and a provider.

import { login, hostAction, LoginError } from './api.js';
import { openCameraAndMic, openScreen, openDevice, listDevices, stopAll } from './media.js';
import { DeviceSelects, PreJoin, loadChoices, saveChoices } from './prejoin.js';
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
    this.chatOnly = false;
    this.layout = $('layout');
    this.full = $('full');
    this.fullText = $('full-text');
    this.takeVideoButton = $('take-video');
    this.deviceToggle = $('device-toggle');
    this.deviceMenu = $('device-menu');
    this.devices = new DeviceSelects(document, (kind, id) => this.chooseDevice(kind, id));
    this.prejoin = new PreJoin(document, this.devices);

    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.join(); });
    $('leave').addEventListener('click', () => this.leave());
    $('notice-close').addEventListener('click', () => this.clearNotice());
    this.mic.addEventListener('click', () => this.toggleTrack('audio', this.mic));
    this.camera.addEventListener('click', () => this.toggleTrack('video', this.camera));
    this.share.addEventListener('click', () => this.toggleShare());
    this.layout.addEventListener('click', () => this.toggleLayout());
    this.takeVideoButton.addEventListener('click', () => this.takeVideo());
    this.deviceToggle.addEventListener('click', () => this.#showDeviceMenu(this.deviceMenu.hidden));
    for (const type of ['pointerdown', 'keydown']) this.form.addEventListener(type, () => this.prejoin.wake());
    window.addEventListener('pagehide', () => {
      this.unloading = true;
      this.prejoin.stop();
      this.leave({ quiet: true });
    });
    this.members = new Set();
    this.hostLine = $('host-line');
    this.hostControls = $('host-controls');
    this.memberSelect = $('member-select');
    this.lockButton = $('lock-room');
    $('remove-member').addEventListener('click', () => this.#hostAct('remove', { identity: this.memberSelect.value }));
    $('ban-member').addEventListener('click', () => this.#hostAct('ban',
      { identity: this.memberSelect.value, until: new Date(Date.now() + 3600 * 1000).toISOString() }));
    this.lockButton.addEventListener('click', () => this.#hostAct(
      this.lockButton.getAttribute('aria-pressed') === 'true' ? 'unlock' : 'lock'));
    $('end-room').addEventListener('click', () => this.#hostAct('end'));
    this.prejoin.start();
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
      this.#showHost(this.session.host, false);
      const media = await this.prejoin.take();
      this.tracks = media.tracks;
      if (media.problem) this.showNotice(media.problem);
      this.provider = this.#createProvider(this.session);
      this.form.hidden = true;
      this.call.hidden = false;
      this.deviceMenu.append($('devices'));
      this.grid.setSpeaker(media.speaker);
      this.grid.showLocal(this.session.identity, this.tracks);
      this.#resetControls();
      this.tracks.forEach((t) => this.#watchTrack(t));
      const off = [];
      if (media.muted && !this.mic.disabled) off.push(['audio', this.mic]);
      if (media.cameraOff && !this.camera.disabled) off.push(['video', this.camera]);
      for (const [kind, button] of off) this.toggleTrack(kind, button);
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
      // Providers that publish on connect (Twilio) learn the choice once their tracks exist.
      for (const [kind] of off) if (this.provider) this.provider.setTrackEnabled(kind, false);
      this.#inCallStatus();
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
    on('participant-joined', ({ identity, video }) => {
      this.grid.addParticipant(identity, { video });
      this.#member(identity, true);
    });
    on('participant-left', ({ identity }) => {
      this.grid.removeParticipant(identity);
      this.#member(identity, false);
    });
    on('room', ({ host, locked }) => this.#showHost(host, locked));
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
      else if (state === 'connecting') this.chat.setState(message || 'connecting…');
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
    on('video-full', ({ message, manual }) => this.#chatOnlyView(message, manual));
    on('video-slot', () => this.#offerVideo());
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
          // The local hub announces host changes itself; on Twilio the login is where the page learns them.
          if (session.provider !== 'local') this.#showHost(session.host, false);
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

  toggleLayout() {
    const speaker = this.layout.getAttribute('aria-pressed') !== 'true';
    this.grid.setView(speaker ? 'speaker' : 'gallery');
    this.layout.setAttribute('aria-pressed', String(speaker));
    this.layout.textContent = speaker ? 'Gallery view' : 'Speaker view';
  }

  /** A device picked in a select: before the call it changes the preview, in the call it switches live. */
  async chooseDevice(kind, deviceId) {
    if (!this.provider) {
      await this.prejoin.choose(kind, deviceId);
      return;
    }
    saveChoices({ [kind]: deviceId });
    if (kind === 'speaker') {
      this.grid.setSpeaker(deviceId);
      return;
    }
    if (this.chatOnly) return;
    try {
      await this.#switchTrack(kind === 'camera' ? 'video' : 'audio', deviceId);
    } catch (e) {
      this.showNotice(e.message || String(e));
      this.devices.refresh(this.tracks);
    }
  }

  /** Opens another device of a kind and hands its track to the provider in place of the current one. */
  async #switchTrack(kind, deviceId) {
    const provider = this.provider;
    const old = this.tracks.find((t) => t.kind === kind) || null;
    const track = await openDevice(kind, deviceId);
    if (this.provider !== provider || this.chatOnly) {
      track.stop();
      return null;
    }
    const button = kind === 'audio' ? this.mic : this.camera;
    track.enabled = button.getAttribute('aria-pressed') !== 'true';
    await provider.replaceTrack(kind, track, old);
    this.tracks = [...this.tracks.filter((t) => t !== old), track];
    this.grid.replaceLocalTrack(old, track);
    this.#watchTrack(track);
    if (old) old.stop();
    button.disabled = false;
    await this.devices.refresh(this.tracks);
    return track;
  }

  #watchTrack(track) {
    // 'ended' without stop() means the device went away (unplugged, or taken by the system).
    track.addEventListener('ended', () => this.#deviceLost(track));
  }

  async #deviceLost(track) {
    if (!this.provider || !this.tracks.includes(track)) return;
    const what = track.kind === 'video' ? 'camera' : 'microphone';
    const lost = track.getSettings ? track.getSettings().deviceId : undefined;
    const devices = await listDevices();
    const others = devices[what].filter((d) => d.deviceId && d.deviceId !== lost && d.deviceId !== 'communications');
    const other = others.find((d) => d.deviceId !== 'default') || others[0];
    const name = track.label ? ` (${track.label})` : '';
    if (!other) {
      this.tracks = this.tracks.filter((t) => t !== track);
      this.grid.replaceLocalTrack(track, null);
      (track.kind === 'video' ? this.camera : this.mic).disabled = true;
      this.showNotice(`Your ${what}${name} was disconnected and no other ${what} was found.`);
      return;
    }
    try {
      const replacement = await this.#switchTrack(track.kind, other.deviceId);
      if (replacement) {
        this.showNotice(`Your ${what}${name} was disconnected, so the call now uses ${replacement.label || other.label || `another ${what}`}.`);
      }
    } catch (e) {
      this.showNotice(`Your ${what}${name} was disconnected and switching to another one failed: ${e.message || e}`);
    }
  }

  #showDeviceMenu(open) {
    this.deviceMenu.hidden = !open;
    this.deviceToggle.setAttribute('aria-expanded', String(open));
    if (open) this.devices.refresh(this.tracks);
  }

  /** Video is full: the person stays for the chat; nothing of theirs is sent, so nothing of theirs stays live. */
  #chatOnlyView(message, manual) {
    this.chatOnly = true;
    this.manualRetry = Boolean(manual);
    if (this.screenTrack) this.#stopShare();
    stopAll(this.tracks);
    this.tracks = [];
    this.grid.hideLocal();
    document.body.classList.add('chat-only');
    this.full.hidden = false;
    this.fullText.textContent = message;
    this.takeVideoButton.hidden = !manual;
    this.takeVideoButton.textContent = manual ? 'Try the video again' : 'Join the video';
    const reason = 'The call is full: you are in the chat only';
    for (const button of [this.mic, this.camera, this.share, this.layout, this.deviceToggle]) {
      button.disabled = true;
      button.title = reason;
    }
    this.#showDeviceMenu(false);
    this.chat.setOpen(true);
    if (this.session) this.#inCallStatus();
  }

  #offerVideo() {
    if (!this.chatOnly) return;
    this.fullText.textContent = 'A place in the video call is free now. Join the video, or stay in the chat.';
    this.takeVideoButton.textContent = 'Join the video';
    this.takeVideoButton.hidden = false;
  }

  /** Moves a chat-only member up into the video once a place is free (or, on Twilio, when asked to try again). */
  async takeVideo() {
    if (!this.provider || !this.chatOnly) return;
    const provider = this.provider;
    this.takeVideoButton.disabled = true;
    const media = await openCameraAndMic(loadChoices());
    try {
      await provider.takeVideo(media.tracks);
    } catch (e) {
      stopAll(media.tracks);
      if (this.provider === provider) {
        this.fullText.textContent = e.message || String(e);
        this.takeVideoButton.hidden = !this.manualRetry;
      }
      return;
    } finally {
      this.takeVideoButton.disabled = false;
    }
    if (this.provider !== provider) {
      stopAll(media.tracks);
      return;
    }
    this.#leaveChatOnlyView();
    this.tracks = media.tracks;
    if (media.problem) this.showNotice(media.problem);
    this.grid.showLocal(this.session.identity, this.tracks);
    this.#resetControls();
    this.tracks.forEach((t) => this.#watchTrack(t));
    this.#inCallStatus();
  }

  #leaveChatOnlyView() {
    this.chatOnly = false;
    document.body.classList.remove('chat-only');
    this.full.hidden = true;
    this.takeVideoButton.hidden = true;
    for (const button of [this.mic, this.camera, this.share, this.layout, this.deviceToggle]) {
      button.disabled = false;
      button.removeAttribute('title');
    }
  }

  #inCallStatus() {
    if (!this.session) return;
    this.setStatus(`In "${this.session.room}" as ${this.session.identity}${this.chatOnly ? ' (chat only: the call is full)' : ''}`);
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
    this.members.clear();
    this.#member('', false);
    this.hostLine.textContent = '';
    this.hostControls.hidden = true;
    this.#leaveChatOnlyView();
    this.#showDeviceMenu(false);
    $('device-home').append($('devices'));
    document.body.classList.remove('video-reconnecting');
    this.videoNote.hidden = true;
    this.call.hidden = true;
    this.form.hidden = false;
    if (!this.unloading) this.prejoin.start();
  }

  #resetControls() {
    for (const [button, text] of [[this.mic, 'Mute'], [this.camera, 'Camera off'], [this.share, 'Share screen'],
      [this.layout, this.grid.view === 'speaker' ? 'Gallery view' : 'Speaker view']]) {
      if (button !== this.layout) button.setAttribute('aria-pressed', 'false');
      button.textContent = text;
    }
    const hasKind = (kind) => this.tracks.some((t) => t.kind === kind);
    this.mic.disabled = !hasKind('audio');
    this.camera.disabled = !hasKind('video');
    this.share.disabled = !(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);
  }

  /**
   * Shows who hosts, and the host's controls to the host only. The server decides anyway: a crafted
   * request from anyone else gets 403.
   */
  #showHost(host, locked) {
    this.host = host;
    const me = this.session && host === this.session.identity;
    this.hostLine.textContent = host ? `Host: ${host}${me ? ' (you)' : ''}${locked ? ' · room locked' : ''}`
      : (locked ? 'Room locked' : '');
    this.hostControls.hidden = !me;
    this.lockButton.setAttribute('aria-pressed', String(Boolean(locked)));
    this.lockButton.textContent = locked ? 'Unlock room' : 'Lock room';
  }

  #member(identity, present) {
    if (present) this.members.add(identity);
    else this.members.delete(identity);
    const chosen = this.memberSelect.value;
    this.memberSelect.replaceChildren(...[...this.members].sort().map((who) => {
      const option = document.createElement('option');
      option.value = who;
      option.textContent = who;
      return option;
    }));
    if (this.members.has(chosen)) this.memberSelect.value = chosen;
  }

  async #hostAct(action, body) {
    if (!this.session) return;
    if (body && !body.identity) {
      this.showNotice('Choose a participant first.');
      return;
    }
    try {
      await hostAction(action, this.session.token, body);
    } catch (e) {
      this.showNotice(e.message);
    }
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

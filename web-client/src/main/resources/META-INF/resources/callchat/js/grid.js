// The participant grid: one tile per person (camera) and one per screen share, each captioned with a name.
// Names only ever go through textContent.

const LOCAL = Symbol('local');
const QUALITY_WORDS = ['no connection', 'very poor', 'poor', 'fair', 'good', 'excellent'];

export class Grid {
  /** @param {HTMLElement} element */
  constructor(element) {
    this.element = element;
    /** @type {Map<string, {tile:HTMLElement, video:HTMLVideoElement, tracks:Set<MediaStreamTrack>}>} */
    this.tiles = new Map();
    // Which tile is large: a pinned one, else the newest screen share, else (speaker view) whoever spoke last.
    this.view = 'gallery';
    this.pinned = null;
    this.speaker = null;
    this.sinkId = '';
    element.addEventListener('click', (e) => this.#pinFrom(e.target));
    element.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        if (e.target.classList && e.target.classList.contains('tile')) {
          e.preventDefault();
          this.#pinFrom(e.target);
        }
      } else if (e.key === 'Escape') {
        this.pin(null);
      }
    });
  }

  /** 'gallery' (equal tiles) or 'speaker' (the active speaker large, the others in a strip). */
  setView(view) {
    this.view = view === 'speaker' ? 'speaker' : 'gallery';
    this.#layout();
  }

  /** Keeps one tile large whatever happens; null unpins. */
  pin(tile) {
    this.pinned = tile ? this.#keyOf(tile) : null;
    this.#layout();
  }

  /** Plays remote audio on this output device (setSinkId); '' is the system default. */
  setSpeaker(sinkId) {
    this.sinkId = sinkId || '';
    for (const entry of this.tiles.values()) sink(entry.video, this.sinkId);
  }

  /** Swaps one of the user's own camera/microphone tracks for another (a device switch). */
  replaceLocalTrack(oldTrack, newTrack) {
    const entry = this.tiles.get(key(LOCAL, 'camera'));
    if (!entry) return;
    if (oldTrack) entry.tracks.delete(oldTrack);
    if (newTrack && newTrack.kind === 'video') entry.tracks.add(newTrack);
    this.#attach(entry);
  }

  /** The local preview: muted, mirrored, captioned "You". */
  showLocal(identity, tracks) {
    this.localIdentity = identity;
    const entry = this.#ensure(LOCAL, 'camera', `You (${identity})`);
    entry.tile.classList.add('local');
    for (const track of tracks) if (track.kind === 'video') entry.tracks.add(track);
    this.#attach(entry);
  }

  /** Removes the user's own camera tile (chat-only: nothing of theirs is sent, so nothing is shown). */
  hideLocal() {
    this.#remove(LOCAL, 'camera');
  }

  /** Shows or hides the tile with the user's own screen share. */
  setLocalScreen(track, identity) {
    if (track) {
      const entry = this.#ensure(LOCAL, 'screen', `Your screen (${identity})`);
      entry.tile.classList.add('local');
      entry.tracks.add(track);
      this.#attach(entry);
    } else {
      this.#remove(LOCAL, 'screen');
    }
  }

  /** A tile for a participant, before or without media. */
  addParticipant(identity, { video = true } = {}) {
    const entry = this.#ensure(identity, 'camera', identity);
    entry.tile.classList.toggle('chat-only', !video);
    entry.note.textContent = video ? '' : 'chat only';
  }

  addTrack(identity, source, track) {
    const entry = this.#ensure(identity, source, source === 'screen' ? `${identity}'s screen` : identity);
    entry.tracks.add(track);
    this.#attach(entry);
  }

  removeTrack(identity, source, track) {
    const entry = this.tiles.get(key(identity, source));
    if (!entry) return;
    entry.tracks.delete(track);
    if (source === 'screen' && ![...entry.tracks].some((t) => t.kind === 'video')) {
      this.#remove(identity, source);
    } else {
      this.#attach(entry);
    }
  }

  /** Shows that a participant turned their camera or microphone off. */
  setTrackEnabled(identity, kind, enabled) {
    const entry = this.tiles.get(key(identity, 'camera'));
    if (entry) entry.tile.classList.toggle(kind === 'audio' ? 'mic-off' : 'camera-off', !enabled);
  }

  /** Highlights the camera tile of whoever is speaking (the page's own identity means the local tile). */
  setSpeaking(identity, speaking) {
    const who = this.#who(identity);
    const entry = this.tiles.get(key(who, 'camera'));
    if (entry) entry.tile.classList.toggle('speaking', speaking);
    if (speaking && who !== LOCAL && this.speaker !== who) {
      this.speaker = who;
      if (this.view === 'speaker') this.#layout();
    }
  }

  /** A small 0-5 bar indicator with a text label, on the camera tile. */
  setNetworkQuality(identity, level) {
    const entry = this.tiles.get(key(this.#who(identity), 'camera'));
    if (!entry || !Number.isInteger(level)) return;
    if (!entry.quality) {
      entry.quality = document.createElement('span');
      entry.quality.className = 'quality';
      entry.quality.setAttribute('role', 'img');
      for (let i = 1; i <= 5; i += 1) entry.quality.append(document.createElement('i'));
      entry.tile.append(entry.quality);
    }
    const clamped = Math.max(0, Math.min(5, level));
    entry.quality.dataset.level = String(clamped);
    const label = `Network quality: ${QUALITY_WORDS[clamped]} (${clamped} of 5)`;
    entry.quality.setAttribute('aria-label', label);
    entry.quality.title = label;
  }

  #who(identity) {
    return identity === this.localIdentity || identity === null || identity === undefined ? LOCAL : identity;
  }

  setLocalTrackEnabled(kind, enabled) {
    this.setTrackEnabled(LOCAL, kind, enabled);
  }

  removeParticipant(identity) {
    this.#remove(identity, 'camera');
    this.#remove(identity, 'screen');
  }

  clear() {
    for (const entry of this.tiles.values()) detach(entry.video);
    this.tiles.clear();
    this.localIdentity = undefined;
    this.pinned = null;
    this.speaker = null;
    this.element.replaceChildren();
    this.#layout();
  }

  #ensure(identity, source, caption) {
    const k = key(identity, source);
    let entry = this.tiles.get(k);
    if (entry) return entry;
    const tile = document.createElement('figure');
    tile.className = `tile ${source} waiting`;
    tile.tabIndex = 0;
    tile.setAttribute('role', 'button');
    tile.setAttribute('aria-pressed', 'false');
    tile.setAttribute('aria-label', `${caption}, press to pin`);
    if (identity !== LOCAL) tile.dataset.identity = identity;
    tile.dataset.source = source;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    // Our own preview must not echo; remote camera tiles carry the person's audio.
    video.muted = identity === LOCAL || source === 'screen';
    if (!video.muted) sink(video, this.sinkId);
    const caption_ = document.createElement('figcaption');
    caption_.className = 'name';
    caption_.textContent = caption;
    const note = document.createElement('span');
    note.className = 'tile-note';
    caption_.append(' ', note);
    tile.append(video, caption_);
    this.element.append(tile);
    entry = { tile, video, note, tracks: new Set() };
    this.tiles.set(k, entry);
    this.#layout();
    return entry;
  }

  #attach(entry) {
    const live = [...entry.tracks].filter((t) => t.readyState !== 'ended');
    entry.tile.classList.remove('waiting');
    entry.tile.classList.toggle('no-video', !live.some((t) => t.kind === 'video'));
    if (live.length === 0) {
      detach(entry.video);
      return;
    }
    entry.video.srcObject = new MediaStream(live);
    play(entry.video);
  }

  #remove(identity, source) {
    const entry = this.tiles.get(key(identity, source));
    if (!entry) return;
    detach(entry.video);
    entry.tile.remove();
    this.tiles.delete(key(identity, source));
    if (this.speaker === identity && source === 'camera') this.speaker = null;
    this.#layout();
  }

  #pinFrom(target) {
    const tile = target && target.closest ? target.closest('.tile') : null;
    if (!tile || !this.element.contains(tile)) return;
    this.pin(tile.classList.contains('pinned') ? null : tile);
  }

  #keyOf(tile) {
    for (const [k, entry] of this.tiles) if (entry.tile === tile) return k;
    return null;
  }

  /** The key of the tile to show large, or null for equal tiles. */
  #featured() {
    if (this.pinned && this.tiles.has(this.pinned)) return this.pinned;
    // A screen share is for reading: large by default (the newest one), shown whole.
    const screens = [...this.tiles.keys()].filter((k) => k.endsWith('\u0000screen'));
    if (screens.length) return screens[screens.length - 1];
    if (this.view !== 'speaker') return null;
    if (this.speaker !== null && this.tiles.has(key(this.speaker, 'camera'))) return key(this.speaker, 'camera');
    const remote = [...this.tiles.keys()].find((k) => !k.startsWith('\u0000local') && k.endsWith('\u0000camera'));
    return remote || (this.tiles.has(key(LOCAL, 'camera')) ? key(LOCAL, 'camera') : null);
  }

  #layout() {
    // Column count by tile count; CSS handles the rest (and phones override it).
    const n = this.tiles.size;
    this.element.dataset.count = String(Math.min(n, 9));
    if (this.pinned && !this.tiles.has(this.pinned)) this.pinned = null;
    const featured = this.#featured();
    for (const [k, entry] of this.tiles) {
      entry.tile.classList.toggle('featured', k === featured);
      entry.tile.classList.toggle('pinned', k === this.pinned);
      entry.tile.setAttribute('aria-pressed', String(k === this.pinned));
    }
    this.element.classList.toggle('has-featured', featured !== null && n > 1);
    this.element.classList.toggle('speaker-view', this.view === 'speaker');
  }
}

function key(identity, source) {
  return `${identity === LOCAL ? '\u0000local' : identity}\u0000${source}`;
}

function play(video) {
  const attempt = video.play();
  if (attempt && attempt.catch) {
    attempt.catch((e) => {
      // Autoplay with sound can be refused without a user gesture; play muted rather than show nothing.
      if (e && e.name === 'NotAllowedError' && !video.muted) {
        video.muted = true;
        video.classList.add('autoplay-muted');
        video.play().catch(() => {});
      }
    });
  }
}

function sink(video, sinkId) {
  if (typeof video.setSinkId !== 'function' || video.sinkId === sinkId) return;
  video.setSinkId(sinkId).catch((e) => console.warn('callchat: cannot play on that speaker', e));
}

function detach(video) {
  video.pause();
  video.srcObject = null;
}

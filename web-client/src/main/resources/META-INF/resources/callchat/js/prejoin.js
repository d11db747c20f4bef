// Before joining: a live preview of the camera, a microphone level meter, device choice, and "join muted" /
// "join with camera off". The choices are remembered in this browser only (localStorage), never sent anywhere.
// The tracks opened here are handed to the call, so joining does not ask for the devices a second time.

import { openCameraAndMic, listDevices, canChooseSpeaker, stopAll } from './media.js';

const STORAGE_KEY = 'callchat.devices';
const METER_EVERY_MS = 100;

/** The remembered choices: {camera, microphone, speaker (device ids), muted, cameraOff}. */
export function loadChoices(storage = window.localStorage) {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) || '{}');
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {};
  }
}

export function saveChoices(changes, storage = window.localStorage) {
  const next = { ...loadChoices(storage), ...changes };
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch { /* private mode or full: the choice just is not remembered */ }
  return next;
}

/** Fills the camera/microphone/speaker selects; they move into the call's Devices menu while in a call. */
export class DeviceSelects {
  constructor(doc, onChange) {
    this.selects = {
      camera: doc.getElementById('camera-select'),
      microphone: doc.getElementById('mic-select'),
      speaker: doc.getElementById('speaker-select'),
    };
    for (const el of doc.querySelectorAll('.speaker-choice')) el.hidden = !canChooseSpeaker;
    for (const [kind, select] of Object.entries(this.selects)) {
      select.addEventListener('change', () => onChange(kind, select.value));
    }
    if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
      navigator.mediaDevices.addEventListener('devicechange', () => this.refresh());
    }
  }

  /**
   * Lists the devices again and selects the ones in use (tracks) or remembered.
   * @param {MediaStreamTrack[]} tracks the tracks in use, whose devices are shown as selected
   */
  async refresh(tracks = this.tracks || []) {
    this.tracks = tracks;
    const devices = await listDevices();
    const inUse = (kind) => {
      const track = tracks.find((t) => t.kind === kind && t.readyState !== 'ended');
      return track && track.getSettings ? track.getSettings().deviceId : undefined;
    };
    const choices = loadChoices();
    const current = {
      camera: inUse('video') || choices.camera,
      microphone: inUse('audio') || choices.microphone,
      speaker: choices.speaker || '',
    };
    const names = { camera: 'Camera', microphone: 'Microphone', speaker: 'Speaker' };
    for (const [kind, select] of Object.entries(this.selects)) {
      const list = devices[kind].filter((d) => d.deviceId);
      const options = list.map((d, i) => {
        const option = document.createElement('option');
        option.value = d.deviceId;
        option.textContent = d.label || `${names[kind]} ${i + 1}`;
        return option;
      });
      if (kind === 'speaker' && !list.some((d) => d.deviceId === 'default')) {
        const option = document.createElement('option');
        option.value = '';
        option.textContent = 'System default';
        options.unshift(option);
      }
      if (!options.length) {
        const none = document.createElement('option');
        none.value = '';
        none.textContent = `No ${names[kind].toLowerCase()} found`;
        options.push(none);
      }
      select.replaceChildren(...options);
      select.disabled = !list.length;
      if (current[kind] !== undefined && options.some((o) => o.value === current[kind])) select.value = current[kind];
    }
    return devices;
  }

  value(kind) {
    return this.selects[kind].value;
  }
}

/** The preview panel on the join form. */
export class PreJoin {
  constructor(doc, selects) {
    this.selects = selects;
    this.video = doc.getElementById('preview');
    this.note = doc.getElementById('preview-note');
    this.meter = doc.getElementById('mic-meter');
    this.fill = this.meter.querySelector('.meter-fill');
    this.retry = doc.getElementById('retry-devices');
    this.muted = doc.getElementById('join-muted');
    this.cameraOff = doc.getElementById('join-camera-off');
    this.tracks = [];
    this.problem = null;
    this.opening = null;

    const choices = loadChoices();
    this.muted.checked = choices.muted === true;
    this.cameraOff.checked = choices.cameraOff === true;
    this.muted.addEventListener('change', () => { saveChoices({ muted: this.muted.checked }); this.#apply(); });
    this.cameraOff.addEventListener('change', () => { saveChoices({ cameraOff: this.cameraOff.checked }); this.#apply(); });
    this.retry.addEventListener('click', () => this.start());
  }

  /** Opens the remembered (or default) camera and microphone and shows them; safe to call again (retry). */
  start() {
    this.#release(true);
    const opening = openCameraAndMic(loadChoices()).then(async (media) => {
      if (this.opening !== opening) {
        stopAll(media.tracks);
        return;
      }
      this.tracks = media.tracks;
      this.problem = media.problem;
      this.#show();
      await this.selects.refresh(this.tracks);
    });
    this.opening = opening;
    return opening;
  }

  /** Re-opens the preview with another device chosen in a select. */
  async choose(kind, deviceId) {
    saveChoices({ [kind]: deviceId });
    if (kind !== 'speaker') await this.start();
  }

  /**
   * Hands the preview's tracks to the call (the preview lets go of them without stopping them).
   * @returns {Promise<{tracks: MediaStreamTrack[], problem: string|null, muted: boolean, cameraOff: boolean, speaker: string}>}
   */
  async take() {
    if (this.opening) await this.opening;
    const media = { tracks: this.tracks, problem: this.problem, muted: this.muted.checked,
      cameraOff: this.cameraOff.checked, speaker: loadChoices().speaker || '' };
    this.tracks = [];
    this.#release(false);
    return media;
  }

  /** Stops the preview and its devices (the page is hidden or the call took over). */
  stop() {
    this.#release(true);
  }

  #show() {
    const video = this.tracks.filter((t) => t.kind === 'video');
    this.video.srcObject = video.length ? new MediaStream(video) : null;
    if (video.length) this.video.play().catch(() => {});
    this.retry.hidden = !this.problem;
    this.#apply();
    this.#startMeter();
  }

  #apply() {
    for (const t of this.tracks) {
      if (t.kind === 'audio') t.enabled = !this.muted.checked;
      if (t.kind === 'video') t.enabled = !this.cameraOff.checked;
    }
    const hasVideo = this.tracks.some((t) => t.kind === 'video');
    let note = null;
    // The problem text is written for after the join ("so you joined without…"); here, before it, say what is missing.
    if (this.problem) {
      note = this.problem.replace(/, so you joined [^.]*\./, '.').replace(' and join again to be seen and heard.', ', then try again.');
    }
    else if (!hasVideo || this.cameraOff.checked) note = 'Camera off';
    this.note.hidden = note === null;
    this.note.textContent = note || '';
    this.video.classList.toggle('off', !hasVideo || this.cameraOff.checked);
    this.meter.classList.toggle('muted', this.muted.checked);
  }

  #startMeter() {
    const audio = this.tracks.find((t) => t.kind === 'audio');
    if (!audio || typeof AudioContext === 'undefined') return;
    try {
      this.audioContext = new AudioContext();
      const source = this.audioContext.createMediaStreamSource(new MediaStream([audio]));
      const analyser = this.audioContext.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      // A timer rather than requestAnimationFrame: the meter also moves in a background tab, and costs ~10 reads/s.
      this.meterTimer = setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const s of samples) sum += s * s;
        const rms = Math.sqrt(sum / samples.length);
        const level = audio.enabled ? Math.min(100, Math.round(rms * 300)) : 0;
        this.fill.style.width = `${level}%`;
        this.meter.setAttribute('aria-valuenow', String(level));
      }, METER_EVERY_MS);
      if (this.audioContext.state === 'suspended') this.audioContext.resume().catch(() => {});
    } catch (e) {
      console.warn('callchat: no microphone level meter', e);
    }
  }

  /** Browsers start audio only after the person interacts with the page; the meter waits for that. */
  wake() {
    if (this.audioContext && this.audioContext.state === 'suspended') this.audioContext.resume().catch(() => {});
  }

  #release(stopTracks) {
    this.opening = null;
    clearInterval(this.meterTimer);
    this.meterTimer = null;
    if (this.audioContext) {
      this.audioContext.close().catch(() => {});
      this.audioContext = null;
    }
    this.fill.style.width = '0%';
    this.meter.setAttribute('aria-valuenow', '0');
    this.video.srcObject = null;
    if (stopTracks) stopAll(this.tracks);
    this.tracks = [];
  }
}

// Local camera, microphone and screen: acquisition with messages a person can act on.

/**
 * Camera and microphone as far as they could be had, plus what to tell the user about the rest.
 * @param {{camera?: string, microphone?: string}} preferred remembered device ids; a device that is gone
 *   is replaced by the default one
 */
export async function openCameraAndMic(preferred = {}) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return { tracks: [], problem: 'This page cannot use a camera or microphone here. Open it over https (or on localhost) in a current browser.' };
  }
  const video = { width: { ideal: 1280 }, height: { ideal: 720 } };
  if (preferred.camera || preferred.microphone) {
    // Exact, then without: Chromium ignores an "ideal" deviceId and opens its default device.
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: preferred.microphone ? { deviceId: { exact: preferred.microphone } } : true,
        video: preferred.camera ? { ...video, deviceId: { exact: preferred.camera } } : video,
      });
      return { tracks: stream.getTracks(), problem: null };
    } catch { /* a remembered device is gone (or more is wrong): try the defaults below */ }
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    return { tracks: stream.getTracks(), problem: null };
  } catch (both) {
    // One device may be missing or busy while the other works: try each alone before giving up.
    const audio = await tryOne({ audio: true });
    const video = await tryOne({ video: true });
    const tracks = [...audio.tracks, ...video.tracks];
    const missing = [audio.tracks.length ? null : 'microphone', video.tracks.length ? null : 'camera'].filter(Boolean);
    return { tracks, problem: describe(both, missing) };
  }
}

/**
 * One device, exactly the one chosen (or any of its kind when deviceId is empty).
 * @param {'audio'|'video'} kind
 * @returns {Promise<MediaStreamTrack>} rejects with a user-facing Error
 */
export async function openDevice(kind, deviceId) {
  const constraints = kind === 'video' ? { width: { ideal: 1280 }, height: { ideal: 720 } } : {};
  if (deviceId) constraints.deviceId = { exact: deviceId };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ [kind]: constraints });
    return stream.getTracks()[0];
  } catch (e) {
    const what = kind === 'video' ? 'camera' : 'microphone';
    throw new Error(`That ${what} could not be started (${e && e.name ? e.name : e}).`);
  }
}

/** @returns {Promise<{camera: MediaDeviceInfo[], microphone: MediaDeviceInfo[], speaker: MediaDeviceInfo[]}>} */
export async function listDevices() {
  const all = navigator.mediaDevices && navigator.mediaDevices.enumerateDevices
    ? await navigator.mediaDevices.enumerateDevices() : [];
  return {
    camera: all.filter((d) => d.kind === 'videoinput'),
    microphone: all.filter((d) => d.kind === 'audioinput'),
    speaker: all.filter((d) => d.kind === 'audiooutput'),
  };
}

/** Whether this browser can pick where audio plays (HTMLMediaElement.setSinkId). */
export const canChooseSpeaker = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

async function tryOne(constraints) {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    return { tracks: stream.getTracks() };
  } catch {
    return { tracks: [] };
  }
}

function describe(error, missing) {
  const both = missing.length !== 1;
  const what = both ? 'camera and microphone' : missing[0];
  const either = both ? 'camera or microphone' : missing[0];
  const without = both ? 'without camera and microphone' : `without your ${what}`;
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Permission to use your ${what} was denied, so you joined ${without}. Allow access in the browser's site settings and join again to be seen and heard.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${either} was found, so you joined ${without}.`;
    case 'NotReadableError':
    case 'AbortError':
      return `Your ${what} ${both ? 'are' : 'is'} in use by another application or could not be started, so you joined ${without}.`;
    default:
      return `Your ${what} could not be started (${error && error.name ? error.name : 'unknown error'}), so you joined ${without}.`;
  }
}

/** The screen, window or tab the user picks; null if they cancel. */
export async function openScreen() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
    throw new Error('Screen sharing is not supported in this browser.');
  }
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    return stream.getVideoTracks()[0] || null;
  } catch (e) {
    if (e && e.name === 'NotAllowedError') return null; // the user cancelled the picker
    throw new Error(`Screen sharing could not start (${e && e.name ? e.name : e}).`);
  }
}

export function stopAll(tracks) {
  for (const track of tracks) {
    try { track.stop(); } catch { /* already stopped */ }
  }
}

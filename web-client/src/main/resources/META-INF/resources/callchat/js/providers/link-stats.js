// Call awareness for the local provider's peer-to-peer links, from RTCPeerConnection.getStats():
// who is speaking (the inbound audio level, with hysteresis so the highlight does not flicker) and how
// good each link is (round-trip time and packet loss, mapped to Twilio's 0-5 network quality levels so
// the page shows both providers alike).

const POLL_MS = 400;
// Speaking starts above ON and ends only after the level stayed below OFF for HOLD_MS: a pause between
// words keeps the highlight, a single click does not light it (START_SAMPLES in a row are needed).
const LEVEL_ON = 0.04;
const LEVEL_OFF = 0.015;
const START_SAMPLES = 2;
const HOLD_MS = 1200;

/**
 * Polls every link's stats and reports changes.
 * @param {() => Map<string, RTCPeerConnection>} links identity -> its peer connection, read on every poll
 * @param {(type: string, detail: object) => void} emit 'speaking' {identity, speaking} and
 *   'network-quality' {identity, level} (level 0-5; identity null means this browser's own uplink)
 * @returns {() => void} stops polling
 */
export function watchLinks(links, emit) {
  const state = new Map(); // identity -> {pc, speaking, loud, quietSince, level, lost, received}
  const own = { speaking: false, loud: 0, quietSince: 0 };
  let ownLevel = null;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const current = links();
      for (const identity of [...state.keys()]) {
        if (!current.has(identity)) state.delete(identity);
      }
      const levels = [];
      let ownAudio = null;
      for (const [identity, pc] of current) {
        if (pc.connectionState === 'closed') continue;
        let report;
        try {
          report = await pc.getStats();
        } catch {
          continue;
        }
        // State belongs to one link, not to one name: someone who rejoins between two polls has a new
        // connection whose speaking and quality must be reported afresh (their tile is new too).
        let s = state.get(identity);
        if (!s || s.pc !== pc) {
          s = { pc, speaking: false, loud: 0, quietSince: 0, level: null, lost: 0, received: 0 };
          state.set(identity, s);
        }
        const sample = read(report);
        if (sample.ownAudioLevel !== null) ownAudio = Math.max(ownAudio ?? 0, sample.ownAudioLevel);
        speaking(identity, s, sample.audioLevel, emit);
        const level = quality(s, sample);
        if (level !== null) {
          levels.push(level);
          if (level !== s.level) {
            s.level = level;
            emit('network-quality', { identity, level });
          }
        }
      }
      // Our own microphone, as sent (media-source), so our tile lights up like everyone else's.
      speaking(null, own, ownAudio, emit);
      // Our own indicator: the worst of our links, as that is what someone in the call experiences.
      const worst = levels.length ? Math.min(...levels) : null;
      if (worst !== null && worst !== ownLevel) {
        ownLevel = worst;
        emit('network-quality', { identity: null, level: worst });
      }
    } finally {
      busy = false;
    }
  }, POLL_MS);
  return () => clearInterval(timer);
}

function read(report) {
  const sample = { audioLevel: null, ownAudioLevel: null, rttMs: null, lost: 0, received: 0 };
  let pairId = null;
  report.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      if (typeof s.audioLevel === 'number') sample.audioLevel = Math.max(sample.audioLevel ?? 0, s.audioLevel);
    }
    if (s.type === 'media-source' && s.kind === 'audio' && typeof s.audioLevel === 'number') {
      sample.ownAudioLevel = Math.max(sample.ownAudioLevel ?? 0, s.audioLevel);
    }
    if (s.type === 'inbound-rtp') {
      sample.lost += Math.max(0, s.packetsLost || 0);
      sample.received += s.packetsReceived || 0;
    }
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  });
  report.forEach((s) => {
    if (s.type !== 'candidate-pair') return;
    const selected = pairId ? s.id === pairId : (s.nominated && s.state === 'succeeded');
    if (selected && typeof s.currentRoundTripTime === 'number') sample.rttMs = s.currentRoundTripTime * 1000;
  });
  return sample;
}

function speaking(identity, s, level, emit) {
  const now = performance.now();
  if (level === null) return;
  if (level >= LEVEL_ON) {
    s.loud += 1;
    s.quietSince = 0;
    if (!s.speaking && s.loud >= START_SAMPLES) {
      s.speaking = true;
      emit('speaking', { identity, speaking: true });
    }
  } else {
    s.loud = 0;
    if (level < LEVEL_OFF || !s.speaking) {
      if (!s.quietSince) s.quietSince = now;
      if (s.speaking && now - s.quietSince >= HOLD_MS) {
        s.speaking = false;
        emit('speaking', { identity, speaking: false });
      }
    }
  }
}

/** @returns 0-5 from the loss since the last poll and the round-trip time, or null before any media */
function quality(s, sample) {
  const lost = sample.lost - s.lost;
  const received = sample.received - s.received;
  s.lost = sample.lost;
  s.received = sample.received;
  if (sample.rttMs === null && received <= 0) return null;
  const loss = received + lost > 0 ? Math.max(0, lost) / (received + lost) : 0;
  const rtt = sample.rttMs ?? 0;
  if (received <= 0 && lost <= 0) return s.level === null ? null : 0; // media stopped flowing
  if (rtt < 150 && loss < 0.01) return 5;
  if (rtt < 250 && loss < 0.02) return 4;
  if (rtt < 400 && loss < 0.05) return 3;
  if (rtt < 700 && loss < 0.1) return 2;
  if (loss < 0.2) return 1;
  return 0;
}

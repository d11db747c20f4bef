/*
 * Test double of the twilio-video 2.x browser bundle (window.Twilio.Video), served from the test classpath
 * in place of the real vendor/video.js. No network: connect() "joins" a scripted room in which one remote
 * participant, "twilio-bot", publishes a canvas-drawn camera track. Tests drive and inspect it through
 * window.fakeTwilio. Before the page joins, localStorage['fakeTwilio.occupants'] sets how many participants
 * the room already holds (default 1: the bot); fakeTwilio.video.occupants changes it later.
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

  function canvasTrack(label) {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    let frame = 0;
    const draw = () => {
      frame += 1;
      g.fillStyle = `hsl(${(frame * 3) % 360} 60% 40%)`;
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#fff';
      g.font = '28px sans-serif';
      g.fillText(`${label} ${frame}`, 20, 130);
    };
    draw();
    const timer = setInterval(draw, 100);
    const track = canvas.captureStream(10).getVideoTracks()[0];
    track.addEventListener('ended', () => clearInterval(timer));
    return track;
  }

  // A Group room holds at most 50 participants; connecting to a full one fails with TwilioError 53105
  // "Room contains too many Participants" (https://www.twilio.com/docs/api/errors/53105,
  // https://www.twilio.com/docs/video/programmable-video-limits). twilio-video.js rejects connect() with a
  // RoomMaxParticipantsExceededError carrying that code and message.
  const MAX_GROUP_ROOM_PARTICIPANTS = 50;

  class TwilioError extends Error {
    constructor(code, message) {
      super(message);
      this.name = code === 53105 ? 'RoomMaxParticipantsExceededError' : 'TwilioError';
      this.code = code;
    }
  }

  class RemoteTrack extends Emitter {
    constructor(kind, name, mediaStreamTrack) {
      super();
      this.kind = kind;
      this.name = name;
      this.mediaStreamTrack = mediaStreamTrack;
    }
  }

  class RemoteParticipant extends Emitter {
    constructor(identity) {
      super();
      this.identity = identity;
      this.tracks = new Map();
    }
    publish(track) {
      this.tracks.set(track.name, { trackName: track.name, track, isSubscribed: true });
      this.emit('trackSubscribed', track);
    }
  }

  class LocalVideoTrack {
    constructor(mediaStreamTrack, options = {}) {
      this.kind = 'video';
      this.mediaStreamTrack = mediaStreamTrack;
      this.name = options.name || mediaStreamTrack.id;
      this.isEnabled = true;
    }
    enable() { this.isEnabled = true; }
    disable() { this.isEnabled = false; }
    stop() { this.mediaStreamTrack.stop(); }
  }

  class LocalAudioTrack extends LocalVideoTrack {
    constructor(mediaStreamTrack, options) {
      super(mediaStreamTrack, options);
      this.kind = 'audio';
    }
  }

  class LocalParticipant {
    constructor(identity, tracks) {
      this.identity = identity;
      this.audioTracks = new Map();
      this.videoTracks = new Map();
      for (const t of tracks) this.publishTrack(t.kind === 'audio' ? new LocalAudioTrack(t) : new LocalVideoTrack(t));
    }
    publishTrack(track) {
      const publication = { trackName: track.name, track };
      (track.kind === 'audio' ? this.audioTracks : this.videoTracks).set(track.name, publication);
      state.published.push(track.name);
      return Promise.resolve(publication);
    }
    unpublishTrack(track) {
      (track.kind === 'audio' ? this.audioTracks : this.videoTracks).delete(track.name);
      state.unpublished.push(track.name);
    }
  }

  class Room extends Emitter {
    constructor(name, identity, tracks) {
      super();
      this.name = name;
      this.state = 'connected';
      this.participants = new Map();
      this.localParticipant = new LocalParticipant(identity, tracks);
    }
    addParticipant(identity) {
      const p = new RemoteParticipant(identity);
      this.participants.set(p.sid = `PA-${identity}`, p);
      this.emit('participantConnected', p);
      p.publish(new RemoteTrack('video', 'camera', canvasTrack(identity)));
      return p;
    }
    removeParticipant(identity) {
      for (const [sid, p] of this.participants) {
        if (p.identity === identity) {
          this.participants.delete(sid);
          this.emit('participantDisconnected', p);
        }
      }
    }
    disconnect() {
      if (this.state === 'disconnected') return;
      this.state = 'disconnected';
      state.disconnects += 1;
      this.emit('disconnected', this);
    }
  }

  const stored = Number.parseInt(window.localStorage.getItem('fakeTwilio.occupants') || '', 10);
  const state = {
    occupants: Number.isInteger(stored) ? stored : 1, // participants already in any room we connect to
    connects: [],      // {token, name, tracks}
    rooms: [],
    published: [],
    unpublished: [],
    disconnects: 0,
  };

  function identityOf(token) {
    try {
      const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return payload.grants.identity;
    } catch (e) {
      return 'unknown';
    }
  }

  const Video = {
    version: 'fake-2.x',
    LocalVideoTrack,
    LocalAudioTrack,
    connect(token, options = {}) {
      state.connects.push({
        token, name: options.name, tracks: (options.tracks || []).length,
        dominantSpeaker: options.dominantSpeaker, networkQuality: options.networkQuality,
      });
      if (state.occupants + 1 > MAX_GROUP_ROOM_PARTICIPANTS) {
        return new Promise((resolve, reject) => setTimeout(
          () => reject(new TwilioError(53105, 'Room contains too many Participants')), 10));
      }
      const room = new Room(options.name, identityOf(token), options.tracks || []);
      state.rooms.push(room);
      // A remote participant is already in the room when we arrive.
      setTimeout(() => room.addParticipant('twilio-bot'), 50);
      return new Promise((resolve) => setTimeout(() => resolve(room), 10));
    },
  };

  const fake = window.fakeTwilio = window.fakeTwilio || {};
  fake.video = state;
  window.Twilio = window.Twilio || {};
  window.Twilio.Video = Video;
}());

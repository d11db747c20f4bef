// The one interface the page talks to; twilio.js and local.js implement it. The login response's
// `provider` field picks one.
//
// A provider is an EventTarget. Events are CustomEvents whose `detail` is:
//   participant-joined {identity, video}        participant-left {identity}
//   track-added   {identity, source: 'camera'|'screen', track: MediaStreamTrack}
//   track-removed {identity, source, track}     track-enabled {identity, kind: 'audio'|'video', enabled}
//   video-state {state: 'connected'|'reconnecting', message?}
//   chat-state  {state: 'connecting'|'ready'|'reconnecting'|'unavailable', message?}
//   chat-history {messages, more, read?}   chat-older {messages, more}   chat-message {message}
//   typing {identity}   typing-ended {identity}          (someone else is typing / stopped)
//   speaking {identity, speaking}                        (active speaker highlight; own identity too)
//   network-quality {identity, level: 0-5}               (own identity = this browser's uplink)
//   video-full {message, manual?}      the video call is full: this member is in the chat only (manual: the
//                                    page offers "try again", as nothing tells the provider when a place frees)
//   video-slot {}                    a video place freed up; the page offers to move up (takeVideo)
//   notice {message}                 ended {message}   (the session is over; the page leaves)
//   room {host, locked}              who hosts the room now, and whether it is locked (local provider)
//   peer-state {identity, state, relayConfigured, relayRefused}   (local only: a link's connectionState;
//                                    'failed' also when ICE gathered no candidate at all)
// Messages are {id, seq, author, text, at, file?}: seq orders messages and is the read position
// (local: the hub's id; Twilio: the message index); `read` in chat-history is the stored read horizon
// (a seq) or null; file = {id, name, type, size, image}.
//
// Methods:
//   connect(session, tracks)          resolves once in the video room (rejects with a user-facing Error)
//   setTrackEnabled(kind, enabled)    mute / camera off
//   replaceTrack(kind, track, old)    send another camera/microphone (device switch) -> Promise
//   takeVideo(tracks) -> Promise      a chat-only member moves up into the video (rejects with a user-facing Error)
//   startScreenShare(track), stopScreenShare()
//   sendChat(text), loadOlder(beforeId)
//   sendTyping()                      throttled by the page; providers may throttle again
//   markRead(seq)                     the newest message the user has seen
//   sendFile(file) -> Promise         share a File in the chat (rejects with a user-facing Error)
//   fetchFile(file) -> Promise<Blob>  a shared file's bytes
//   updateToken(session)              a fresh login's session, before the old token expires
//   disconnect()                      leaves video and shuts chat down; idempotent
// The page sets `provider.tokenNeeded = async () => session` so a provider can ask for a fresh token.

import { LocalProvider } from './local.js';
import { TwilioProvider } from './twilio.js';

/** @returns the provider for a login response */
export function createProvider(session, options) {
  switch (session.provider) {
    case 'twilio':
      return new TwilioProvider(options);
    case 'local':
      return new LocalProvider(options);
    default:
      throw new Error(`The server uses an unknown call provider "${session.provider}".`);
  }
}


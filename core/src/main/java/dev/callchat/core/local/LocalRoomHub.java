package dev.callchat.core.local;

/** The in-process rooms of the local provider: presence, chat history and WebRTC signaling relay. */
public final class LocalRoomHub {
    // TODO(issue 4)
}

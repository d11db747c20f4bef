package dev.callchat.undertow;

import dev.callchat.core.local.LocalRoomHub;
import io.undertow.server.HttpHandler;

/** Bridges {@code /local/ws} WebSocket frames to the local provider's {@link LocalRoomHub}. */
final class LocalSocket {
    private LocalSocket() {
    }

    // TODO(local branch): bridge frames once LocalRoomHub.connect(HubPeer) is merged; until then plain HTTP answers.
    static HttpHandler handler(LocalRoomHub hub, HttpHandler notUpgraded) {
        return notUpgraded;
    }
}

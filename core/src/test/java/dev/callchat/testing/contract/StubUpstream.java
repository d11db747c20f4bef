package dev.callchat.testing.contract;

import dev.callchat.core.CallChatException;
import dev.callchat.core.Chatroom;
import dev.callchat.core.ChatroomDirectory;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.Provider;
import dev.callchat.core.TokenIssuer;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A provider built from lambdas that behaves like Twilio seen from core: healthy, rejecting our
 * credentials, or down. It stands in for the fake Twilio server where the contract only needs
 * the outcomes core maps to HTTP (200, 502, 503, video-only).
 */
final class StubUpstream {
    enum State { HEALTHY, REJECTS_CREDENTIALS, DOWN }

    private final AtomicReference<State> state = new AtomicReference<>(State.HEALTHY);

    void set(State next) {
        state.set(next);
    }

    Provider provider(String name, Clock clock) {
        ChatroomDirectory chatrooms = new ChatroomDirectory() {
            @Override
            public Chatroom findOrCreate(String roomName) {
                failIfUnhealthy();
                return new Chatroom(roomName, "CH" + hex(roomName), "IS" + "0".repeat(32));
            }

            @Override
            public void evict(String roomName) {
            }
        };
        TokenIssuer tokens = (identity, room, chatroom) ->
                new TokenIssuer.IssuedToken("stub." + hex(identity + "|" + room) + ".sig", clock.instant().plus(Duration.ofHours(1)));
        return new Provider(name, chatrooms, (chatroom, identity) -> failIfUnhealthy(), tokens, Optional.empty(), () -> {
        });
    }

    private void failIfUnhealthy() {
        switch (state.get()) {
            case REJECTS_CREDENTIALS -> throw new CallChatException(ErrorKind.UPSTREAM_REJECTED,
                    "Twilio rejected the configured API key (error 20003); check TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET");
            case DOWN -> throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE,
                    "Twilio Conversations is unavailable; try again shortly", Duration.ofSeconds(7), null);
            default -> {
            }
        }
    }

    private static String hex(String s) {
        String h = HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (h + "0".repeat(32)).substring(0, 32);
    }
}

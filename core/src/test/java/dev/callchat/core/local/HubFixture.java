package dev.callchat.core.local;

import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.HubConnection;
import dev.callchat.core.spi.UploadLimits;
import io.jsonwebtoken.security.Keys;
import org.threeten.extra.MutableClock;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.crypto.SecretKey;

/** A hub with a fixed key, a clock that stands still and deadlines fired by hand. */
final class HubFixture implements AutoCloseable {
    static final SecretKey KEY = Keys.hmacShaKeyFor("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    static final String SERVICE_SID = "IS" + "0".repeat(32);

    final MutableClock clock;
    final ManualDeadlines deadlines = new ManualDeadlines();
    final LocalTokens tokens;
    final LocalRoomHub hub;

    HubFixture(HubLimits limits) {
        this(limits, UploadLimits.forMaxFile(dev.callchat.core.config.Config.DEFAULT_MAX_UPLOAD));
    }

    HubFixture(HubLimits limits, UploadLimits uploads) {
        this(limits, uploads, RoomOccupancy.NONE, MutableClock.of(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
    }

    /** A hub that reports its rooms' occupancy, on the given clock. */
    HubFixture(HubLimits limits, RoomOccupancy occupancy, MutableClock clock) {
        this(limits, UploadLimits.forMaxFile(dev.callchat.core.config.Config.DEFAULT_MAX_UPLOAD), occupancy, clock);
    }

    private HubFixture(HubLimits limits, UploadLimits uploads, RoomOccupancy occupancy, MutableClock clock) {
        this.clock = clock;
        this.tokens = new LocalTokens(KEY, Duration.ofHours(1), clock, new SecureRandom());
        this.hub = new LocalRoomHub(limits, uploads, tokens, clock, deadlines, occupancy);
    }

    /** Limits that stay out of the way of tests about something else. */
    static HubLimits generous() {
        return limits(1_000_000, 1_000_000, 10_000, 100_000);
    }

    static HubLimits limits(int rate, int burst, int historySize, int queue) {
        return HubLimits.custom().messagesPerSecond(rate).messageBurst(burst).historySize(historySize)
                .outboundQueueFrames(queue).build();
    }

    String videoOnlyToken(String identity, String room) {
        return tokens.issue(identity, room, null).jwt();
    }

    String token(String identity, String room) {
        return tokens.issue(identity, room, new Chatroom(room, "CH" + "1".repeat(32), SERVICE_SID)).jwt();
    }

    /** A member that has authenticated and received its welcome. */
    Member join(String identity, String room) {
        return join(FakePeer.inline(identity), identity, room);
    }

    Member join(FakePeer peer, String identity, String room) {
        HubConnection connection = hub.connect(peer);
        connection.onText(auth(token(identity, room)));
        return new Member(identity, peer, connection);
    }

    static String auth(String token) {
        return "{\"type\":\"auth\",\"token\":\"" + token + "\"}";
    }

    static String chat(String text) {
        return "{\"type\":\"chat\",\"text\":" + quote(text) + "}";
    }

    static String quote(String text) {
        return new com.fasterxml.jackson.databind.node.TextNode(text).toString();
    }

    @Override
    public void close() {
        hub.close();
    }

    record Member(String identity, FakePeer peer, HubConnection connection) {
        void send(String frame) {
            connection.onText(frame);
        }

        void say(String text) {
            send(chat(text));
        }
    }
}

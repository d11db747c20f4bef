package dev.callchat.core.local;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit of the {@link LocalRoomHub}, in one place. {@link #defaults()} suits a demo with a
 * handful of people per room; tests and integrators pass their own.
 *
 * @param authDeadline        how long a new socket may take to send its {@code auth} frame (close 4401 after)
 * @param maxFrameChars       largest inbound text frame in chars; adapters enforce it (close 1009). Large
 *                            enough for a 4096-character chat message fully JSON-escaped and for SDP offers
 * @param maxChatChars        longest chat text, in Unicode code points
 * @param messagesPerSecond   sustained inbound frames per connection (token bucket refill)
 * @param messageBurst        inbound frames a connection may send at once (token bucket capacity)
 * @param floodStrikes        rate-limited frames tolerated per 10 seconds before the hub closes the
 *                            connection with 4429
 * @param historySize         chat messages each room remembers; older ones are dropped
 * @param historyPageSize     messages in the welcome's history and in each {@code history} answer
 * @param maxVideoMembers     members per room who get video (a peer-to-peer mesh); later ones are chat-only
 * @param outboundQueueFrames frames waiting to be sent to one connection before it is dropped as too slow (4408)
 */
public record HubLimits(Duration authDeadline, int maxFrameChars, int maxChatChars, int messagesPerSecond,
                        int messageBurst, int floodStrikes, int historySize, int historyPageSize,
                        int maxVideoMembers, int outboundQueueFrames) {

    /** Checks that every limit is positive. */
    public HubLimits {
        Objects.requireNonNull(authDeadline, "authDeadline");
        if (authDeadline.isZero() || authDeadline.isNegative()) {
            throw new IllegalArgumentException("authDeadline must be positive");
        }
        positive("maxFrameChars", maxFrameChars);
        positive("maxChatChars", maxChatChars);
        positive("messagesPerSecond", messagesPerSecond);
        positive("messageBurst", messageBurst);
        positive("floodStrikes", floodStrikes);
        positive("historySize", historySize);
        positive("historyPageSize", historyPageSize);
        positive("outboundQueueFrames", outboundQueueFrames);
        if (maxVideoMembers < 0) {
            throw new IllegalArgumentException("maxVideoMembers must not be negative");
        }
    }

    /**
     * @return auth within 5 s, 32 KiB frames, 4096-character chat, 20 frames/s (burst 40, 40 strikes per
     * 10 s), 500 messages of history in pages of 50, 6 video members, 256 queued frames per connection
     */
    public static HubLimits defaults() {
        return new HubLimits(Duration.ofSeconds(5), 32 * 1024, 4096, 20, 40, 40, 500, 50, 6, 256);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive (got " + value + ")");
        }
    }
}

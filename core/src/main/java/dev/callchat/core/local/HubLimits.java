package dev.callchat.core.local;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit of the {@link LocalRoomHub}, in one place. {@link #defaults()} suits a demo with a
 * handful of people per room; tests and integrators pass their own.
 *
 * @param authDeadline        how long a new socket may take to send its {@code auth} frame (close 4401 after)
 * @param maxFrameChars       largest inbound text frame in chars; adapters enforce it (close 1009). At least
 *                            {@link #frameCharsFor(int) frameCharsFor(maxChatChars)}, so that any legal chat
 *                            message fits in any valid JSON escaping
 * @param maxChatChars        longest chat text, in Unicode code points
 * @param messagesPerSecond   sustained inbound frames per connection (token bucket refill)
 * @param messageBurst        inbound frames a connection may send at once (token bucket capacity)
 * @param floodStrikes        rate-limited frames tolerated per 10 seconds before the hub closes the
 *                            connection with 4429
 * @param historySize         chat messages each room remembers; older ones are dropped
 * @param historyPageSize     messages in the welcome's history and in each {@code history} answer
 * @param maxVideoMembers     members per room who get video (a peer-to-peer mesh); later ones are chat-only
 * @param outboundQueueFrames frames waiting to be sent to one connection before it is dropped as too slow (4408);
 *                            presence changes waiting in a row are merged and count as one
 * @param typingInterval      the hub relays at most one {@code typing} frame per member per interval; more are dropped
 */
public record HubLimits(Duration authDeadline, int maxFrameChars, int maxChatChars, int messagesPerSecond,
                        int messageBurst, int floodStrikes, int historySize, int historyPageSize,
                        int maxVideoMembers, int outboundQueueFrames, Duration typingInterval) {

    /** The default typing interval: one relayed {@code typing} frame per member per second. */
    public static final Duration DEFAULT_TYPING_INTERVAL = Duration.ofSeconds(1);
    /**
     * The most chars valid JSON can spend on one code point of a string: a supplementary character
     * written as a surrogate pair of two six-char escapes (backslash, u, four hex digits), as Python's {@code json.dumps} does.
     */
    public static final int MAX_JSON_CHARS_PER_CODE_POINT = 12;
    /**
     * Room in a chat frame for everything around the text: the keys (themselves possibly escaped), the
     * {@code type} value and whitespace between tokens.
     */
    public static final int FRAME_ENVELOPE_CHARS = 1024;
    /** Room for a WebRTC offer with many ICE candidates in a {@code signal} frame. */
    public static final int SIGNAL_FRAME_CHARS = 32 * 1024;

    /**
     * The limits as before typing indicators existed, with the {@link #DEFAULT_TYPING_INTERVAL}.
     *
     * @param authDeadline        see the record's description
     * @param maxFrameChars       see the record's description
     * @param maxChatChars        see the record's description
     * @param messagesPerSecond   see the record's description
     * @param messageBurst        see the record's description
     * @param floodStrikes        see the record's description
     * @param historySize         see the record's description
     * @param historyPageSize     see the record's description
     * @param maxVideoMembers     see the record's description
     * @param outboundQueueFrames see the record's description
     */
    public HubLimits(Duration authDeadline, int maxFrameChars, int maxChatChars, int messagesPerSecond,
                     int messageBurst, int floodStrikes, int historySize, int historyPageSize,
                     int maxVideoMembers, int outboundQueueFrames) {
        this(authDeadline, maxFrameChars, maxChatChars, messagesPerSecond, messageBurst, floodStrikes, historySize,
                historyPageSize, maxVideoMembers, outboundQueueFrames, DEFAULT_TYPING_INTERVAL);
    }

    /**
     * Checks that every limit is positive and that a frame holds any legal chat message.
     *
     * @param authDeadline        how long a new socket may take to send its {@code auth} frame (close 4401 after)
     * @param maxFrameChars       largest inbound text frame in chars; adapters enforce it (close 1009); at least {@link #frameCharsFor(int) frameCharsFor(maxChatChars)}
     * @param maxChatChars        longest chat text, in Unicode code points
     * @param messagesPerSecond   sustained inbound frames per connection (token bucket refill)
     * @param messageBurst        inbound frames a connection may send at once (token bucket capacity)
     * @param floodStrikes        rate-limited frames tolerated per 10 seconds before the hub closes the connection with 4429
     * @param historySize         chat messages each room remembers; older ones are dropped
     * @param historyPageSize     messages in the welcome's history and in each {@code history} answer
     * @param maxVideoMembers     members per room who get video (a peer-to-peer mesh); later ones are chat-only
     * @param outboundQueueFrames frames waiting to be sent to one connection before it is dropped as too slow (4408)
     * @param typingInterval      the hub relays at most one {@code typing} frame per member per interval
     */
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
        if (maxFrameChars < frameCharsFor(maxChatChars)) {
            throw new IllegalArgumentException("maxFrameChars must be at least frameCharsFor(maxChatChars) = "
                    + frameCharsFor(maxChatChars) + " so that every legal chat message fits (got " + maxFrameChars + ")");
        }
        Objects.requireNonNull(typingInterval, "typingInterval");
        if (typingInterval.isNegative()) {
            throw new IllegalArgumentException("typingInterval must not be negative");
        }
        if (maxVideoMembers < 0) {
            throw new IllegalArgumentException("maxVideoMembers must not be negative");
        }
    }

    /**
     * The smallest frame limit that admits every legal chat message, however it is JSON-escaped.
     *
     * @param maxChatChars the longest chat text, in code points
     * @return {@code maxChatChars} × {@value #MAX_JSON_CHARS_PER_CODE_POINT} + {@value #FRAME_ENVELOPE_CHARS}
     */
    public static int frameCharsFor(int maxChatChars) {
        return Math.addExact(Math.multiplyExact(maxChatChars, MAX_JSON_CHARS_PER_CODE_POINT), FRAME_ENVELOPE_CHARS);
    }

    /**
     * @return auth within 5 s, frames of {@link #frameCharsFor(int) frameCharsFor(4096)} = 50,176 chars
     * (at least {@value #SIGNAL_FRAME_CHARS} for SDP), 4096-character chat, 20 frames/s (burst 40, 40 strikes per
     * 10 s), 500 messages of history in pages of 50, 6 video members, 256 queued frames per connection,
     * one typing frame per member per second
     */
    public static HubLimits defaults() {
        int maxChatChars = 4096;
        return new HubLimits(Duration.ofSeconds(5), Math.max(SIGNAL_FRAME_CHARS, frameCharsFor(maxChatChars)), maxChatChars,
                20, 40, 40, 500, 50, 6, 256);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive (got " + value + ")");
        }
    }
}

package dev.callchat.core.local;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit of the {@link LocalRoomHub}, in one place. {@link #defaults()} suits a demo with a
 * handful of people per room; change some with {@link #custom()}:
 * {@code HubLimits.custom().messagesPerSecond(5).messageBurst(5).build()}.
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
                20, 40, 40, 500, 50, 6, 256, DEFAULT_TYPING_INTERVAL);
    }

    /** @return a builder starting from {@link #defaults()}, to change only the limits that matter */
    public static Builder custom() {
        return new Builder(defaults());
    }

    /** @return a builder starting from these limits */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some limits, keeping the others; {@link #build()} checks them. */
    public static final class Builder {
        private Duration authDeadline;
        private int maxFrameChars;
        private int maxChatChars;
        private int messagesPerSecond;
        private int messageBurst;
        private int floodStrikes;
        private int historySize;
        private int historyPageSize;
        private int maxVideoMembers;
        private int outboundQueueFrames;
        private Duration typingInterval;

        private Builder(HubLimits base) {
            authDeadline = base.authDeadline;
            maxFrameChars = base.maxFrameChars;
            maxChatChars = base.maxChatChars;
            messagesPerSecond = base.messagesPerSecond;
            messageBurst = base.messageBurst;
            floodStrikes = base.floodStrikes;
            historySize = base.historySize;
            historyPageSize = base.historyPageSize;
            maxVideoMembers = base.maxVideoMembers;
            outboundQueueFrames = base.outboundQueueFrames;
            typingInterval = base.typingInterval;
        }

        /**
         * @param value see {@link HubLimits#authDeadline()}
         * @return this builder
         */
        public Builder authDeadline(Duration value) {
            authDeadline = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#maxFrameChars()}
         * @return this builder
         */
        public Builder maxFrameChars(int value) {
            maxFrameChars = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#maxChatChars()}
         * @return this builder
         */
        public Builder maxChatChars(int value) {
            maxChatChars = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#messagesPerSecond()}
         * @return this builder
         */
        public Builder messagesPerSecond(int value) {
            messagesPerSecond = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#messageBurst()}
         * @return this builder
         */
        public Builder messageBurst(int value) {
            messageBurst = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#floodStrikes()}
         * @return this builder
         */
        public Builder floodStrikes(int value) {
            floodStrikes = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#historySize()}
         * @return this builder
         */
        public Builder historySize(int value) {
            historySize = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#historyPageSize()}
         * @return this builder
         */
        public Builder historyPageSize(int value) {
            historyPageSize = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#maxVideoMembers()}
         * @return this builder
         */
        public Builder maxVideoMembers(int value) {
            maxVideoMembers = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#outboundQueueFrames()}
         * @return this builder
         */
        public Builder outboundQueueFrames(int value) {
            outboundQueueFrames = value;
            return this;
        }

        /**
         * @param value see {@link HubLimits#typingInterval()}
         * @return this builder
         */
        public Builder typingInterval(Duration value) {
            typingInterval = value;
            return this;
        }

        /**
         * @return the limits
         * @throws IllegalArgumentException naming the first limit out of range
         */
        public HubLimits build() {
            return new HubLimits(authDeadline, maxFrameChars, maxChatChars, messagesPerSecond, messageBurst,
                    floodStrikes, historySize, historyPageSize, maxVideoMembers, outboundQueueFrames, typingInterval);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive (got " + value + ")");
        }
    }
}

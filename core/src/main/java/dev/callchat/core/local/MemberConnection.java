package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callchat.core.VisibleText;
import dev.callchat.core.spi.HubConnection;
import dev.callchat.core.spi.HubPeer;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One socket in the hub: its authentication, inbound rate limit and bounded outbound queue.
 *
 * <p>Lock order: a room's monitor may be held while taking {@link #lock}, never the reverse, and
 * neither is held while calling the {@link HubPeer}.
 */
final class MemberConnection implements HubConnection {
    static final int GOING_AWAY = 1001;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int UNAUTHORIZED = 4401;
    static final int TOO_SLOW = 4408;
    static final int REPLACED = 4409;
    static final int FLOODING = 4429;
    /** At most this many queued frames still go out before a close the hub decides. */
    private static final int FLUSH_BEFORE_CLOSE = 16;

    private static final Logger LOG = LoggerFactory.getLogger(MemberConnection.class);
    private static final Duration STRIKE_WINDOW = Duration.ofSeconds(10);

    /** What became of a frame offered to the outbound queue. */
    enum Offer {
        /** Queued behind a send in flight. */
        QUEUED,
        /** Queued, and the caller must start sending with {@link #drain()} once it holds no lock. */
        STARTED,
        /** The queue was full: the connection is now closed and the caller must finish closing it (4408). */
        OVERFLOWED,
        /** The connection is closed; the frame is discarded. */
        DROPPED
    }

    private final LocalRoomHub hub;
    private final HubPeer peer;
    private final HubLimits limits;
    private final Bucket rate;
    private final Bucket strikes;

    private final Object lock = new Object();
    /**
     * Guarded by {@link #lock}: frames ({@code String}) and merged presence changes ({@link PendingPresence}),
     * each of which counts as one entry against {@link HubLimits#outboundQueueFrames()}.
     */
    private final ArrayDeque<Object> outbox = new ArrayDeque<>();
    /** Guarded by {@link #lock}: a send is in flight or about to start. */
    private boolean sending;
    /** Guarded by {@link #lock}. */
    private boolean authenticated;
    /** Guarded by {@link #lock}; set once. */
    private boolean closed;
    /** Set while the last few queued frames go out before a close the hub decided (see {@link #closeWith}). */
    private Close closeAfterQueue;

    private final Clock clock;
    /** Clock millis when the hub last relayed this member's typing frame; only the reading thread writes it. */
    private volatile long lastTypingMillis = Long.MIN_VALUE;

    private volatile Runnable cancelAuthDeadline = () -> { };
    /** Set once, before the connection joins its room. */
    private volatile Grant grant;
    /** Set (under the room's monitor) when joining; read when leaving. */
    private volatile Room room;
    /** Written under the room's monitor when joining. */
    private volatile boolean video;

    MemberConnection(LocalRoomHub hub, HubPeer peer, HubLimits limits, Clock clock) {
        this.hub = hub;
        this.peer = peer;
        this.limits = limits;
        this.clock = clock;
        // The hub's clock drives the buckets, so a test's fixed clock makes rate limiting deterministic.
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.rate = Bucket.builder()
                .addLimit(limit -> limit.capacity(limits.messageBurst())
                        .refillGreedy(limits.messagesPerSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build();
        this.strikes = Bucket.builder()
                .addLimit(limit -> limit.capacity(limits.floodStrikes()).refillGreedy(limits.floodStrikes(), STRIKE_WINDOW))
                .withCustomTimePrecision(time)
                .build();
    }

    @Override
    public int maxFrameChars() {
        return limits.maxFrameChars();
    }

    @Override
    public void onText(String frame) {
        hub.meters().framesIn.increment();
        if (isClosed()) {
            return;
        }
        if (frame.length() > limits.maxFrameChars()) {
            closeWith(TOO_BIG, "frame too large");
            return;
        }
        if (!rate.tryConsume(1)) {
            if (!strikes.tryConsume(1)) {
                LOG.info("Closing {}: kept sending faster than {} frames/s", describe(), limits.messagesPerSecond());
                closeWith(FLOODING, "rate limit exceeded");
            } else {
                error("rate_limited", "Too many messages: at most " + limits.messagesPerSecond() + " per second");
            }
            return;
        }
        Optional<ObjectNode> parsed = hub.frames().parse(frame);
        if (!isAuthenticated()) {
            authenticate(parsed);
            return;
        }
        if (parsed.isEmpty()) {
            error("bad_frame", "Expected a JSON object with a string \"type\"");
            return;
        }
        dispatch(parsed.get());
    }

    @Override
    public void onClose() {
        if (markClosed()) {
            finishClose(0, null);
        }
    }

    private void authenticate(Optional<ObjectNode> frame) {
        JsonNode token = frame.map(f -> f.path("type").asText().equals("auth") ? f.get("token") : null).orElse(null);
        if (token == null || !token.isTextual()) {
            closeWith(UNAUTHORIZED, "auth required");
            return;
        }
        Optional<Grant> verified = hub.verify(token.asText());
        if (verified.isEmpty()) {
            closeWith(UNAUTHORIZED, "invalid or expired token");
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            authenticated = true;
        }
        cancelAuthDeadline.run();
        grant = verified.get();
        hub.join(this);
    }

    private void dispatch(ObjectNode frame) {
        switch (frame.get("type").asText()) {
            case "chat" -> chat(frame.get("text"));
            case "signal" -> signal(frame.get("to"), frame.get("data"));
            case "history" -> history(frame.get("before"));
            case "typing" -> typing();
            case "read" -> read(frame.get("id"));
            case "take_video" -> hub.takeVideo(this);
            case "ping" -> reply(hub.frames().pong());
            case "auth" -> error("already_authenticated", "This connection is already authenticated");
            default -> error("unknown_type", "Unknown message type");
        }
    }

    private void chat(JsonNode text) {
        if (text == null || !text.isTextual()) {
            error("bad_frame", "chat needs a string \"text\"");
        } else if (!grant.chat()) {
            error("chat_not_granted", "Your token does not grant chat");
        } else if (!VisibleText.hasVisible(text.asText())) {
            // Blank or only invisible characters (zero-width spaces, fillers, a lone combining mark): shows nothing.
            error("empty_text", "Chat text must show something: it is empty, blank or only invisible characters");
        } else if (text.asText().codePointCount(0, text.asText().length()) > limits.maxChatChars()) {
            error("text_too_long", "Chat text is limited to " + limits.maxChatChars() + " characters");
        } else {
            hub.chat(this, text.asText());
        }
    }

    /** Throttled here rather than refused: a client that types fast is not misbehaving, the others just need fewer frames. */
    private void typing() {
        if (!grant.chat()) {
            error("chat_not_granted", "Your token does not grant chat");
            return;
        }
        long now = clock.millis();
        long last = lastTypingMillis;
        if (last != Long.MIN_VALUE && now - last < limits.typingInterval().toMillis()) {
            return;
        }
        lastTypingMillis = now;
        hub.typing(this);
    }

    private void read(JsonNode id) {
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 1) {
            error("bad_frame", "read needs \"id\": a message id (a positive whole number)");
        } else if (!grant.chat()) {
            error("chat_not_granted", "Your token does not grant chat");
        } else {
            hub.read(this, id.asLong());
        }
    }

    /** @return whether this member may upload now: an upload costs one frame of the inbound rate */
    boolean tryConsumeUpload() {
        return rate.tryConsume(1);
    }

    private void signal(JsonNode to, JsonNode data) {
        if (to == null || !to.isTextual() || data == null || data.isNull()) {
            error("bad_frame", "signal needs a string \"to\" and a \"data\" value");
        } else {
            hub.signal(this, to.asText(), data);
        }
    }

    private void history(JsonNode before) {
        if (before == null || before.isNull()) {
            hub.history(this, Long.MAX_VALUE);
        } else if (before.isIntegralNumber() && before.canConvertToLong() && before.asLong() >= 1) {
            hub.history(this, before.asLong());
        } else {
            error("bad_frame", "history needs \"before\": a message id (a positive whole number)");
        }
    }

    void error(String code, String message) {
        reply(hub.frames().error(code, message));
    }

    /** Sends a frame that concerns this connection only (no room ordering involved). */
    void reply(String frame) {
        switch (offer(frame)) {
            case STARTED -> drain();
            case OVERFLOWED -> finishClose(TOO_SLOW, "too slow");
            case QUEUED, DROPPED -> { }
        }
    }

    void startAuthDeadline(Runnable cancel) {
        cancelAuthDeadline = cancel;
    }

    /** Fires when the auth deadline passes; a no-op if the client authenticated in time. */
    void authDeadlinePassed() {
        synchronized (lock) {
            if (authenticated || closed) {
                return;
            }
            closed = true;
        }
        finishClose(UNAUTHORIZED, "auth timeout");
    }

    /**
     * Closes the socket with a code, leaving the room first; idempotent. Frames already queued (such as
     * the error that explains a 4429) are still sent first when a send is in flight and only a few are
     * waiting: an adapter whose sends complete later (Tomcat's) would otherwise lose them. A slow
     * consumer's queue is dropped at once.
     */
    void closeWith(int code, String reason) {
        boolean afterQueue;
        synchronized (lock) {
            if (closed) {
                return;
            }
            afterQueue = code != TOO_SLOW && sending && outbox.size() <= FLUSH_BEFORE_CLOSE;
            if (afterQueue) {
                closed = true;
                closeAfterQueue = new Close(code, reason);
            }
        }
        if (afterQueue) {
            // The send in flight resumes drain(), which sends what is queued and then closes.
            cancelAuthDeadline.run();
            hub.leave(this);
        } else if (markClosed()) {
            finishClose(code, reason);
        }
    }

    /** Caller holds no lock: closes the socket once the frames queued before a {@link #closeWith} went out. */
    private void closeQueued(Close close) {
        try {
            peer.close(close.code(), close.reason());
        } catch (RuntimeException e) {
            LOG.debug("Closing {} failed", describe(), e);
        }
    }

    /** A close waiting for the queue: its code and reason. */
    private record Close(int code, String reason) {
    }

    /** @return true for the one caller that closed the connection, which must then call {@link #finishClose} */
    boolean markClosed() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            outbox.clear();
            return true;
        }
    }

    /** After {@link #markClosed()}: leave the room, then close the socket (code 0: it is closed already). */
    void finishClose(int code, String reason) {
        cancelAuthDeadline.run();
        hub.leave(this);
        if (code > 0) {
            if (code == TOO_SLOW) {
                hub.meters().slowConsumerCloses.increment();
                LOG.info("Dropped {}: it did not keep up with {} queued frames", describe(), limits.outboundQueueFrames());
            }
            try {
                peer.close(code, reason);
            } catch (RuntimeException e) {
                LOG.debug("Closing {} failed", describe(), e);
            }
        }
    }

    /** Called with a room's monitor held (or none): never calls the peer. */
    Offer offer(String frame) {
        synchronized (lock) {
            if (closed) {
                return Offer.DROPPED;
            }
            return enqueue(frame);
        }
    }

    /**
     * Queues a presence change, merged with those still waiting at the end of the queue: however many
     * members come and go, a reader that keeps reading is not dropped for it. Called like {@link #offer}.
     *
     * @param identity whose presence changed
     * @param frame    the {@code joined} or {@code left} frame
     * @param present  true for joined, false for left
     */
    Offer offerPresence(String identity, String frame, boolean present) {
        synchronized (lock) {
            if (closed) {
                return Offer.DROPPED;
            }
            if (outbox.peekLast() instanceof PendingPresence pending) {
                pending.record(identity, frame, present);
                return startIfIdle();
            }
            PendingPresence pending = new PendingPresence();
            pending.record(identity, frame, present);
            return enqueue(pending);
        }
    }

    /** Caller holds {@link #lock} and has checked {@link #closed}. */
    private Offer enqueue(Object entry) {
        if (outbox.size() >= limits.outboundQueueFrames()) {
            closed = true;
            outbox.clear();
            return Offer.OVERFLOWED;
        }
        outbox.add(entry);
        return startIfIdle();
    }

    /** Caller holds {@link #lock}. */
    private Offer startIfIdle() {
        if (sending) {
            return Offer.QUEUED;
        }
        sending = true;
        return Offer.STARTED;
    }

    /** Caller holds {@link #lock}: the next frame to send, or null when the queue is empty. */
    private String pollFrame() {
        while (true) {
            Object head = outbox.peek();
            if (head == null) {
                return null;
            }
            if (head instanceof PendingPresence pending) {
                String frame = pending.next();
                if (pending.isEmpty()) {
                    outbox.poll();
                }
                if (frame != null) {
                    return frame;
                }
            } else {
                outbox.poll();
                return (String) head;
            }
        }
    }

    /**
     * Sends queued frames one at a time. A peer that completes synchronously is served in this loop
     * rather than by recursion (thousands of queued frames would otherwise overflow the stack); one
     * that completes later resumes the loop from its callback.
     */
    void drain() {
        while (true) {
            String next;
            Close close = null;
            synchronized (lock) {
                next = closed && closeAfterQueue == null ? null : pollFrame();
                if (next == null) {
                    sending = false;
                    close = closeAfterQueue;
                    closeAfterQueue = null;
                }
            }
            if (next == null) {
                if (close != null) {
                    closeQueued(close);
                }
                return;
            }
            SendCompletion completion = new SendCompletion();
            hub.meters().framesOut.increment();
            try {
                peer.sendText(next, completion);
            } catch (RuntimeException e) {
                completion.accept(e);
            }
            if (!completion.completedInline()) {
                return;
            }
            if (completion.error != null) {
                sendFailed(completion.error);
                return;
            }
        }
    }

    private void sendFailed(Throwable error) {
        LOG.debug("Sending to {} failed; closing it", describe(), error);
        Close pending;
        synchronized (lock) {
            pending = closeAfterQueue;
            closeAfterQueue = null;
            outbox.clear();
            sending = false;
        }
        if (pending != null) {
            closeQueued(pending);
            return;
        }
        closeWith(INTERNAL_ERROR, "send failed");
    }

    /** The {@code onDone} of one send: tells {@link #drain()} whether to loop on or leave it to the callback. */
    private final class SendCompletion implements Consumer<Throwable> {
        private static final int PENDING = 0;
        private static final int INLINE = 1;
        private static final int DETACHED = 2;
        private static final int RESUMED = 3;

        private final AtomicInteger state = new AtomicInteger(PENDING);
        /** Written before the state changes, read after, so the atomic publishes it. */
        private Throwable error;

        @Override
        public void accept(Throwable failure) {
            error = failure;
            if (state.compareAndSet(PENDING, INLINE)) {
                return;
            }
            if (state.compareAndSet(DETACHED, RESUMED)) {
                if (failure != null) {
                    sendFailed(failure);
                } else {
                    drain();
                }
            }
        }

        /** @return true when the send already completed, so the caller continues; false hands over to the callback */
        boolean completedInline() {
            return !state.compareAndSet(PENDING, DETACHED);
        }
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private boolean isAuthenticated() {
        synchronized (lock) {
            return authenticated;
        }
    }

    Grant grant() {
        return grant;
    }

    String identity() {
        return grant.identity();
    }

    Room room() {
        return room;
    }

    void enter(Room room) {
        this.room = room;
    }

    boolean video() {
        return video;
    }

    void video(boolean video) {
        this.video = video;
    }

    private String describe() {
        Grant g = grant;
        return g == null ? "an unauthenticated connection" : "'" + g.identity() + "' in room '" + g.room() + "'";
    }
}

package dev.callchat.core.http;

import dev.callchat.core.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an adapter admits, and how it drains: requests are counted while in flight, newcomers during a
 * shutdown get core's 503 problem (with {@code Retry-After}) rather than a refused connection, and at most
 * {@link #UPLOAD_SLOTS} uploads are read at once so that files cannot crowd out the threads and memory logins
 * need. For adapters (see {@code docs/architecture.md}); applications never need it.
 */
public final class InFlight {
    private static final Logger LOG = LoggerFactory.getLogger(InFlight.class);
    /** Uploads read at once; more are answered 503 with {@code Retry-After}. */
    public static final int UPLOAD_SLOTS = 16;

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger requests = new AtomicInteger();
    private final Semaphore uploads = new Semaphore(UPLOAD_SLOTS);
    private final CallChatHttp http;
    private final HttpReply goingAway;
    private final HttpReply tooManyUploads;

    /** @param http the contract whose problems the refusals are */
    public InFlight(CallChatHttp http) {
        this.http = http;
        this.goingAway = http.problem(ErrorKind.SERVICE_UNAVAILABLE, "The server is shutting down; try again shortly");
        this.tooManyUploads = http.problem(ErrorKind.SERVICE_UNAVAILABLE,
                "Too many files are being uploaded right now; try again shortly");
    }

    /**
     * A request arrives. Unless refused, the adapter calls {@link #exit()} exactly once when it is answered.
     *
     * @return empty when admitted, else the 503 problem to answer with (the server is draining)
     */
    public Optional<HttpReply> enter() {
        requests.incrementAndGet();
        if (draining.get()) {
            requests.decrementAndGet();
            return Optional.of(goingAway);
        }
        return Optional.empty();
    }

    /** A request {@link #enter() admitted} is answered (or abandoned). */
    public void exit() {
        requests.decrementAndGet();
    }

    /**
     * An upload is about to be read. Unless refused, the adapter calls {@link #exitUpload()} exactly once when
     * it is done with it. A refused upload's body is unread: the adapter closes the connection after the
     * answer, as draining it would go at the sender's pace.
     *
     * @param call the upload, its body not read yet
     * @return empty when admitted, else the problem to answer with: what core refuses from the head alone
     *         ({@link CallChatHttp#refuseBeforeBody}: no member's token, 401/403), which takes no slot, or 503
     *         when all slots are taken
     */
    public Optional<HttpReply> enterUpload(HttpCall call) {
        return http.refuseBeforeBody(call).or(this::enterUpload);
    }

    /** @return empty when a slot was free and is now taken, else the 503 problem (for tests of the slots alone) */
    Optional<HttpReply> enterUpload() {
        return uploads.tryAcquire() ? Optional.empty() : Optional.of(tooManyUploads);
    }

    /** An upload {@link #enterUpload(HttpCall) admitted} is done with. */
    public void exitUpload() {
        uploads.release();
    }

    /**
     * Turns newcomers away from now on and waits up to {@link Shutdown#DRAIN_TIMEOUT} for the requests in
     * flight to finish; what has not finished by then is logged and cut off by the adapter.
     */
    public void drain() {
        if (!drain(Shutdown.DRAIN_TIMEOUT)) {
            LOG.warn("Stopping with requests still in flight after {}s", Shutdown.DRAIN_TIMEOUT.toSeconds());
        }
    }

    /**
     * Turns newcomers away from now on and waits for the requests in flight to finish.
     *
     * @param atMost the longest wait
     * @return whether every request in flight finished in time
     */
    public boolean drain(Duration atMost) {
        draining.set(true);
        return Shutdown.await(() -> requests.get() == 0, atMost);
    }

    /** @return whether {@link #drain} was called: the server is stopping */
    public boolean draining() {
        return draining.get();
    }
}

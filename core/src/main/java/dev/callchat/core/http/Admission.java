package dev.callchat.core.http;

import dev.callchat.core.ErrorKind;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One request's way through an adapter that reads bodies without a thread waiting for them (a servlet
 * container's {@code ReadListener}, say), decided from the request's head alone:
 * <ul>
 *   <li>answered at once: the server is draining (503), the request has no body or one too large by its
 *       {@code Content-Length} (core answers without reading it), an upload core refuses from its head
 *       ({@link InFlight#enterUpload(HttpCall)}: no member's token), or all {@link InFlight#UPLOAD_SLOTS} are
 *       taken (503); the last two close the connection rather than drain the unread body at the sender's pace;</li>
 *   <li>or admitted: the adapter feeds the body into {@link #body()}, and the reply follows once the body is
 *       complete, or at the body's deadline ({@link CallChatHttp#bodyDeadline(long, String)}) a 400 problem
 *       that closes the connection, so a slow sender holds neither a thread nor its buffer longer.</li>
 * </ul>
 * The {@link InFlight} counts it took are given back exactly once. For adapters (see
 * {@code docs/architecture.md}); applications never need it.
 */
public final class Admission {
    /** The request is not callchat's: it continues down the host application's chain. */
    static final Admission PASS_ON = new Admission(null, false, null, new BodyBuffer(0));

    private final @Nullable InFlight inFlight;
    private final boolean upload;
    private final @Nullable HttpReply answer;
    private final BodyBuffer body;
    private final CompletableFuture<HttpReply> reply = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final byte[] chunk;

    private Admission(@Nullable InFlight inFlight, boolean upload, @Nullable HttpReply answer, BodyBuffer body) {
        this.inFlight = inFlight;
        this.upload = upload;
        this.answer = answer;
        this.body = body;
        this.chunk = inFlight == null || answer != null ? new byte[0] : new byte[8192];
        finished.set(inFlight == null || answer != null);
    }

    /**
     * Admits a request, or answers it at once; a request without a body (or too large by its header) is
     * handled by core on the calling thread.
     *
     * @param http          the contract
     * @param inFlight      the adapter's counts
     * @param call          the request, without its body yet
     * @param contentLength its {@code Content-Length}, or -1 when it has none
     * @return the admission: {@link #answer()} is present when the request is done with
     */
    public static Admission of(CallChatHttp http, InFlight inFlight, AdapterCall call, long contentLength) {
        Optional<HttpReply> goingAway = inFlight.enter();
        if (goingAway.isPresent()) {
            return answered(goingAway.get());
        }
        int limit = http.maxBodyBytes(call.rawPath());
        boolean hasBody = contentLength > 0 || call.header("Transfer-Encoding").isPresent();
        if (!hasBody || contentLength > limit) {
            try {
                return answered(http.handle(hasBody ? call.withBody(BodySource.tooLarge()) : call));
            } finally {
                inFlight.exit();
            }
        }
        boolean upload = limit > CallChatHttp.MAX_BODY_BYTES;
        Optional<HttpReply> busy = upload ? inFlight.enterUpload(call) : Optional.empty();
        if (busy.isPresent()) {
            inFlight.exit();
            return answered(closing(busy.get()));
        }
        Admission admitted = new Admission(inFlight, upload, null, new BodyBuffer(limit));
        HttpReply late = closing(http.problem(ErrorKind.BAD_REQUEST, "The request body did not arrive within "
                + http.bodyDeadline().toMillis() + " ms; the connection is closed"));
        Duration deadline = http.bodyDeadline(contentLength, call.rawPath());
        admitted.body.done().thenAccept(read -> admitted.reply.complete(http.handle(call.withBody(read))));
        // The deadline runs on a copy: it must not settle the buffer itself (abandon() does, if the body is not in
        // yet), and the copy completing with the body cancels the timer, so nothing outlives the request.
        admitted.body.done().copy().orTimeout(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS)
                .exceptionally(timedOut -> {
                    if (admitted.body.abandon()) {
                        admitted.reply.complete(late);
                    }
                    return null;
                });
        return admitted;
    }

    static Admission answered(HttpReply reply) {
        return new Admission(null, false, reply, new BodyBuffer(0));
    }

    /** @return whether the request is not callchat's ({@link Gate}): it continues down the application's chain */
    public boolean passOn() {
        return this == PASS_ON;
    }

    /** @return the reply when the request was answered at once: write it, and the request is done with */
    public Optional<HttpReply> answer() {
        return Optional.ofNullable(answer);
    }

    /** @return where an admitted request's body goes, as it arrives */
    public BodyBuffer body() {
        return body;
    }

    /**
     * Reads what a non-blocking source has ready into {@link #body()}, and ends the body at its end or once it
     * is past the limit (core then answers 413; the rest is never read). For a servlet's {@code ReadListener}:
     * {@code admission.readAvailable(in::isReady, in::read)}; then {@code body().end()} when all data was read.
     *
     * @param ready  whether a read would not block
     * @param source reads up to {@code into.length} bytes, or -1 at the end of the body
     * @throws IOException when the source fails
     */
    public void readAvailable(BooleanSupplier ready, Chunks source) throws IOException {
        while (ready.getAsBoolean()) {
            int n = source.read(chunk);
            if (n < 0) {
                return;
            }
            if (body.append(chunk, 0, n)) {
                body.end();
                return;
            }
        }
    }

    /** A non-blocking body source, such as a servlet's input stream. */
    @FunctionalInterface
    public interface Chunks {
        /**
         * @param into where the bytes go
         * @return how many bytes were read, or -1 at the end of the body
         * @throws IOException when the body could not be read
         */
        int read(byte[] into) throws IOException;
    }

    /**
     * @param writer writes an admitted request's reply (from whichever thread settles it) and ends the exchange;
     *               the counts are given back after it, whatever it throws
     */
    public void whenReplied(Consumer<HttpReply> writer) {
        reply.thenAccept(ready -> {
            try {
                writer.accept(ready);
            } finally {
                finish();
            }
        });
    }

    /** Gives the counts back; for an adapter whose exchange failed before the body could be read. Idempotent. */
    public void finish() {
        if (finished.compareAndSet(false, true) && inFlight != null) {
            if (upload) {
                inFlight.exitUpload();
            }
            inFlight.exit();
        }
    }

    private static HttpReply closing(HttpReply reply) {
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put("Connection", "close");
        return new HttpReply(reply.status(), headers, reply.body());
    }
}

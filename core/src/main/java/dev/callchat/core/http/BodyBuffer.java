package dev.callchat.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a request body ahead, as it arrives in chunks, without a thread waiting for it: at most one byte past
 * the route's limit is kept (which tells core "too large"), and the outcome is settled once, by whichever of
 * the end of the body, an error or the adapter's deadline comes first. Every adapter reads small bodies this
 * way, so that slow senders hold neither threads nor more memory than the limit. For adapters (see
 * {@code docs/architecture.md}); applications never need it. Chunks must be appended by one thread at a time.
 */
public final class BodyBuffer {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<BodySource> done = new CompletableFuture<>();

    /** @param limit the most bytes the route accepts ({@link CallChatHttp#maxBodyBytes(String)}) */
    public BodyBuffer(int limit) {
        this.limit = limit;
    }

    /**
     * @param chunk  the bytes that arrived
     * @param offset where they start in {@code chunk}
     * @param length how many there are
     * @return whether the body is now past the limit: stop reading and call {@link #end()}
     */
    public synchronized boolean append(byte[] chunk, int offset, int length) {
        if (!done.isDone()) {
            bytes.write(chunk, offset, Math.max(0, Math.min(length, limit + 1 - bytes.size())));
        }
        return bytes.size() > limit;
    }

    /** The body is complete (or past the limit): settles with what was read, unless already settled. */
    public synchronized void end() {
        done.complete(BodySource.of(bytes.toByteArray()));
    }

    /** The framework's own size cap cut the body short: settles with "too large", unless already settled. */
    public void tooLarge() {
        done.complete(BodySource.tooLarge());
    }

    /** @param error why the body could not be read: settles with it (core answers 400), unless already settled */
    public void fail(Throwable error) {
        done.complete(BodySource.failed(error instanceof IOException io ? io : new IOException("request body not read", error)));
    }

    /**
     * The adapter gave up on the body (its deadline passed) and answers by itself.
     *
     * @return whether this call settled it, so the adapter's answer is the only one
     */
    public boolean abandon() {
        return done.cancel(false);
    }

    /** @return the body once settled; never completes when {@link #abandon() abandoned} */
    public CompletableFuture<BodySource> done() {
        return done;
    }
}

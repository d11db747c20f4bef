package dev.callchat.micronaut;

import io.micronaut.http.body.ByteBody;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a small request body on the event loop, without a thread waiting for it: at most one byte
 * past the limit is kept (which tells "too large"), and the stream is cancelled there.
 */
final class BodyReader implements Subscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private Subscription subscription;

    private BodyReader(int limit) {
        this.limit = limit;
    }

    /**
     * @param body  the request body, consumed by this call
     * @param limit the most bytes the route accepts
     * @return the body, or {@code limit + 1} bytes when it is longer; fails with an {@link IOException}
     *         when the client goes away or sends less than it announced
     */
    static CompletableFuture<byte[]> read(ByteBody body, int limit) {
        BodyReader reader = new BodyReader(limit);
        body.toByteArrayPublisher().subscribe(reader);
        return reader.done;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(byte[] chunk) {
        if (done.isDone()) {
            return;
        }
        bytes.write(chunk, 0, Math.min(chunk.length, limit + 1 - bytes.size()));
        if (bytes.size() > limit) {
            subscription.cancel();
            done.complete(bytes.toByteArray());
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error instanceof IOException ? error : new IOException("request body not read", error));
    }

    @Override
    public void onComplete() {
        done.complete(bytes.toByteArray());
    }
}

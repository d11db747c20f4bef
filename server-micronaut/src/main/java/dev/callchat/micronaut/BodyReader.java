package dev.callchat.micronaut;

import dev.callchat.core.http.BodyBuffer;
import dev.callchat.core.http.BodySource;
import io.micronaut.http.body.ByteBody;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.concurrent.CompletableFuture;

/**
 * Reads a small request body on the event loop into core's {@link BodyBuffer}, without a thread waiting for
 * it; the stream is cancelled once the body is past the limit.
 */
final class BodyReader implements Subscriber<byte[]> {
    private final BodyBuffer buffer;
    private Subscription subscription;

    private BodyReader(int limit) {
        this.buffer = new BodyBuffer(limit);
    }

    /**
     * @param body  the request body, consumed by this call
     * @param limit the most bytes the route accepts
     * @return the body once read (or why it could not be)
     */
    static CompletableFuture<BodySource> read(ByteBody body, int limit) {
        BodyReader reader = new BodyReader(limit);
        body.toByteArrayPublisher().subscribe(reader);
        return reader.buffer.done();
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(byte[] chunk) {
        if (buffer.append(chunk, 0, chunk.length)) {
            subscription.cancel();
            buffer.end();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        if (MicronautCall.causedByLimit(error)) {
            buffer.tooLarge();
        } else {
            buffer.fail(error);
        }
    }

    @Override
    public void onComplete() {
        buffer.end();
    }
}

package dev.callchat.core.http;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Where an {@link AdapterCall}'s body comes from, with the rules of {@link HttpCall#body(int)}: never more
 * than the limit, {@link BodyTooLargeException} past it, {@link UncheckedIOException} when the body could not
 * be read. For adapters (see {@code docs/architecture.md}); applications never need it.
 */
@FunctionalInterface
public interface BodySource {
    /**
     * @param maxBytes the most bytes the route accepts
     * @return the body, empty when there is none
     * @throws BodyTooLargeException when the body is larger than {@code maxBytes}
     * @throws UncheckedIOException  when the body could not be read completely
     */
    byte[] read(int maxBytes) throws BodyTooLargeException;

    /** @return the source of a request without a body */
    static BodySource none() {
        return maxBytes -> new byte[0];
    }

    /**
     * @param readAhead a body read ahead by the adapter: whole, or cut one byte past its limit (too large)
     * @return its source
     */
    static BodySource of(byte[] readAhead) {
        return maxBytes -> {
            if (readAhead.length > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
            return readAhead;
        };
    }

    /** @return the source of a body too large by its {@code Content-Length} alone, left unread */
    static BodySource tooLarge() {
        return maxBytes -> {
            throw new BodyTooLargeException(maxBytes);
        };
    }

    /**
     * @param error why the body could not be read (the client went away, or sent less than it announced)
     * @return a source that reports it; core answers 400
     */
    static BodySource failed(IOException error) {
        return maxBytes -> {
            throw new UncheckedIOException(error);
        };
    }
}

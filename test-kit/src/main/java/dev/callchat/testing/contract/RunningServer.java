package dev.callchat.testing.contract;

import java.net.URI;
import java.util.Objects;

/**
 * A server an adapter started for {@link HttpContract}: where it listens and how to stop it.
 *
 * @param baseUri the server's root, e.g. {@code http://127.0.0.1:41234/} (trailing slash optional)
 * @param stopper stops the server and releases its port
 */
public record RunningServer(URI baseUri, AutoCloseable stopper) implements AutoCloseable {
    /**
     * Checks components and normalizes the base URI to end with a slash.
     *
     * @param baseUri the server's root, e.g. {@code http://127.0.0.1:41234/} (trailing slash optional)
     * @param stopper stops the server and releases its port
     */
    public RunningServer {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(stopper, "stopper");
        if (!baseUri.getPath().endsWith("/")) {
            baseUri = URI.create(baseUri + "/");
        }
    }

    /**
     * @param path a path starting with {@code /}
     * @return the absolute URI of the path on this server
     */
    public URI uri(String path) {
        return baseUri.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** Stops the server. */
    @Override
    public void close() throws Exception {
        stopper.close();
    }
}

package dev.callchat.micronaut;

import dev.callchat.core.config.Config;

/**
 * Opens the package-private {@link CallChatServer} to the browser tests (same package, test classpath
 * only), so they start the real Micronaut server exactly as its own tests do.
 */
public final class MicronautBrowserServer implements AutoCloseable {
    private final CallChatServer server;

    private MicronautBrowserServer(CallChatServer server) {
        this.server = server;
    }

    /**
     * @param config the configuration; its host and port are used
     * @return the running server
     */
    public static MicronautBrowserServer start(Config config) {
        return new MicronautBrowserServer(CallChatServer.start(config.host(), config.port(), config));
    }

    /** @return the port listened on */
    public int port() {
        return server.baseUri().getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}

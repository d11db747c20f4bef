package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;

/**
 * Opens the package-private {@link CallChatServer} to the browser tests (same package, test classpath
 * only), so they start the real Micronaut server the way its own contract test does.
 */
public final class MicronautBrowserServer implements AutoCloseable {
    private final CallSessionService service;
    private final CallChatServer server;

    private MicronautBrowserServer(CallSessionService service, CallChatServer server) {
        this.service = service;
        this.server = server;
    }

    /**
     * @param config the configuration; its host and port are used
     * @return the running server
     */
    public static MicronautBrowserServer start(Config config) {
        return start(config, CallSessionService.create(config));
    }

    /**
     * @param config  the configuration; its host and port are used
     * @param service the service to serve; the server closes it when it stops
     * @return the running server
     */
    public static MicronautBrowserServer start(Config config, CallSessionService service) {
        try {
            return new MicronautBrowserServer(service,
                    CallChatServer.start(config.host(), config.port(), new CallChatHttp(service)));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** @return the port listened on */
    public int port() {
        return server.baseUri().getPort();
    }

    @Override
    public void close() {
        server.close();
        service.close();
    }
}

package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;

/** The real Micronaut server on a free port, with its service, for the browser tests. */
public final class MicronautBrowserServer implements AutoCloseable {
    private final CallSessionService service;
    private final CallChatMicronaut server;

    private MicronautBrowserServer(CallSessionService service, CallChatMicronaut server) {
        this.service = service;
        this.server = server;
    }

    /**
     * @param config the configuration; the server listens on a free loopback port
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
                    CallChatMicronaut.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service)));
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

package dev.callchat.examples;

// embed:undertow-imports
import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.undertow.CallChatUndertow;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;

import java.net.InetSocketAddress;
import java.net.URI;
// end:undertow-imports

/**
 * Example (b) of docs/embedding.md: an existing Undertow application that serves its own pages and
 * mounts callchat under {@code /video} (page, login, health and the local WebSocket).
 */
public final class UndertowHost implements AutoCloseable {
    private final Undertow server;
    private final CallSessionService calls;

    private UndertowHost(Undertow server, CallSessionService calls) {
        this.server = server;
        this.calls = calls;
    }

    /**
     * @param config the configuration
     * @param host   the address to listen on
     * @param port   the port, or 0 for a free one
     * @return the running application
     */
    // embed:undertow
    public static UndertowHost start(Config config, String host, int port) {
        CallSessionService calls = CallSessionService.create(config);
        HttpHandler app = Handlers.path()
                .addExactPath("/", exchange -> exchange.getResponseSender().send("Our product's home page"))
                .addPrefixPath("/video", CallChatUndertow.handler(calls));   // the page is at /video/
        Undertow server = Undertow.builder().addHttpListener(port, host).setHandler(app).build();
        server.start();
        return new UndertowHost(server, calls);   // stops the server, then closes the service
    }
    // end:undertow

    /** @return the application's root, e.g. {@code http://127.0.0.1:8080/} */
    public URI baseUri() {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** Stops the server, then the service (which closes the local provider's sockets). */
    @Override
    public void close() {
        server.stop();
        calls.close();
    }
}

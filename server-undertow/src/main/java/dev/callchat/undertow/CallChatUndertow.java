package dev.callchat.undertow;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * callchat on Undertow. Either mount {@link #handler} in your own Undertow (for instance under a
 * prefix with {@code Handlers.path().addPrefixPath("/chat", CallChatUndertow.handler(service))}),
 * or run a whole server with {@link #start}:
 *
 * <pre>{@code
 * try (CallChatUndertow server = CallChatUndertow.start(Config.fromEnvironment())) {
 *     System.out.println(server.baseUri());
 * }
 * }</pre>
 *
 * The handler decides nothing itself: every request goes to core's {@link CallChatHttp}, and in
 * local mode {@code /local/ws} is bridged to the service's room hub.
 */
public final class CallChatUndertow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallChatUndertow.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final CallSessionService ownedService;
    private final URI baseUri;
    private final AtomicBoolean stopping;

    private CallChatUndertow(Undertow undertow, GracefulShutdownHandler graceful, CallSessionService ownedService,
                             AtomicBoolean stopping) {
        this.undertow = undertow;
        this.graceful = graceful;
        this.ownedService = ownedService;
        this.stopping = stopping;
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        String host = address.getAddress().getHostAddress();
        this.baseUri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    /**
     * @param service the login service
     * @return a handler serving callchat's whole HTTP contract (and {@code /local/ws} in local mode)
     */
    public static HttpHandler handler(CallSessionService service) {
        return handler(new CallChatHttp(service));
    }

    /**
     * @param http the contract to serve, for callers that configure it (e.g. a different asset root)
     * @return a handler serving it
     */
    public static HttpHandler handler(CallChatHttp http) {
        HttpHandler core = new CoreHandler(http);
        if (!http.localWebSocketEnabled()) {
            return core;
        }
        HttpHandler socket = LocalSocket.handler(http.service().localHub().orElseThrow(), core);
        return exchange -> (CallChatHttp.LOCAL_WS_PATH.equals(new UndertowCall(exchange).rawPath()) ? socket : core)
                .handleRequest(exchange);
    }

    /**
     * Builds the service from the configuration and serves it on {@link Config#host()}:{@link Config#port()};
     * closing the server closes the service.
     *
     * @param config the configuration
     * @return the running server
     */
    public static CallChatUndertow start(Config config) {
        CallSessionService service = CallSessionService.create(config);
        try {
            return start(new CallChatHttp(service), config.host(), config.port(), service);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /**
     * @param service the login service; the caller keeps ownership and closes it after the server
     * @param host    the address to listen on
     * @param port    the port, or 0 for a free one
     * @return the running server
     */
    public static CallChatUndertow start(CallSessionService service, String host, int port) {
        return start(new CallChatHttp(service), host, port, null);
    }

    /**
     * @param http the contract to serve; the caller keeps ownership of its service
     * @param host the address to listen on
     * @param port the port, or 0 for a free one
     * @return the running server
     */
    public static CallChatUndertow start(CallChatHttp http, String host, int port) {
        return start(http, host, port, null);
    }

    private static CallChatUndertow start(CallChatHttp http, String host, int port, CallSessionService owned) {
        Objects.requireNonNull(host, "host");
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(handler(http));
        AtomicBoolean stopping = new AtomicBoolean();
        // While draining, newcomers get core's 503 problem (with Retry-After) rather than Undertow's empty 503.
        HttpReply goingAway = http.problem(ErrorKind.SERVICE_UNAVAILABLE, "The server is shutting down; try again shortly");
        HttpHandler root = exchange -> {
            if (stopping.get()) {
                CoreHandler.write(exchange, goingAway);
            } else {
                graceful.handleRequest(exchange);
            }
        };
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                // Paths reach core still percent-encoded, so it alone decides what they mean.
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // Odd bytes in a path (a backslash, say) then reach core, which answers a problem, not a bare 400.
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                .setServerOption(UndertowOptions.MAX_HEADERS, 256)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 16L * 1024 * 1024)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setHandler(root)
                .build();
        undertow.start();
        return new CallChatUndertow(undertow, graceful, owned, stopping);
    }

    /** @return where the server listens, e.g. {@code http://127.0.0.1:8080/} */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Stops gracefully: answers new requests with a 503 problem, waits up to 10 s for those in
     * flight, closes the local hub's sockets (1001, going away) and the owned service, then the
     * listener. Idempotent.
     */
    @Override
    public void close() {
        if (stopping.getAndSet(true)) {
            return;
        }
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(DRAIN_TIMEOUT.toMillis())) {
                LOG.warn("Stopping with requests still in flight after {}s", DRAIN_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownedService != null) {
            ownedService.close();
        }
        undertow.stop();
    }

    /** Runs core on a worker thread (never on an IO thread: logins call upstream) and writes its reply. */
    private record CoreHandler(CallChatHttp http) implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this);
                return;
            }
            exchange.startBlocking();
            write(exchange, http.handle(new UndertowCall(exchange)));
        }

        static void write(HttpServerExchange exchange, HttpReply reply) {
            exchange.setStatusCode(reply.status());
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
            exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
        }
    }
}

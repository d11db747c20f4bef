package dev.callchat.undertow;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.BodyBuffer;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.http.InFlight;
import dev.callchat.core.http.Shutdown;
import dev.callchat.core.http.Threads;
import dev.callchat.core.spi.HubSockets;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * callchat on Undertow. Either mount {@link #handler} in your own Undertow (for instance under a
 * prefix with {@code Handlers.path().addPrefixPath("/chat", CallChatUndertow.handler(service))}),
 * or run a whole server with {@link #start}:
 *
 * <pre>{@code
 * try (CallSessionService service = CallSessionService.create(Config.fromEnvironment());
 *      CallChatUndertow server = CallChatUndertow.start(ServerConfig.fromEnvironment(), new CallChatHttp(service))) {
 *     System.out.println(server.baseUri());
 * }
 * }</pre>
 *
 * The handler decides nothing itself: every request goes to core's {@link CallChatHttp}, and in
 * local mode {@code /local/ws} is bridged to the service's room hub.
 */
public final class CallChatUndertow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallChatUndertow.class);

    private final Undertow undertow;
    private final InFlight inFlight;
    private final CallChatHttp http;
    private final URI baseUri;
    private final Optional<URI> httpsUri;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Open {@code /local/ws} channels: close() waits (briefly) for their 1001 close handshakes. */
    private final Optional<HubSockets> sockets;

    private CallChatUndertow(Undertow undertow, InFlight inFlight, CallChatHttp http, Optional<HubSockets> sockets) {
        this.sockets = sockets;
        this.undertow = undertow;
        this.inFlight = inFlight;
        this.http = http;
        this.baseUri = uri("http", 0);
        this.httpsUri = undertow.getListenerInfo().size() > 1 ? Optional.of(uri("https", 1)) : Optional.empty();
    }

    private URI uri(String scheme, int listener) {
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(listener).getAddress();
        return ServerConfig.baseUri(scheme, address.getAddress(), address.getPort());
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
        return handler(http, new InFlight(http), http.service().localHub().map(HubSockets::new));
    }

    /**
     * @param inFlight counts what is answered; once draining, newcomers get core's 503 problem (with
     *                 {@code Retry-After}) rather than a refused connection
     * @param sockets  the open {@code /local/ws} sockets, in local mode
     */
    private static HttpHandler handler(CallChatHttp http, InFlight inFlight, Optional<HubSockets> sockets) {
        HttpHandler core = new CoreHandler(http, inFlight, Threads.pool("callchat-upload", InFlight.UPLOAD_SLOTS));
        HttpHandler socket = sockets.map(open -> LocalSocket.handler(open, core)).orElse(null);
        return exchange -> {
            boolean socketPath = socket != null && CallChatHttp.LOCAL_WS_PATH.equals(UndertowCall.rawPath(exchange));
            Optional<HttpReply> answer = inFlight.enter();
            if (answer.isEmpty()) {
                exchange.addExchangeCompleteListener((done, next) -> {
                    inFlight.exit();
                    next.proceed();
                });
                if (exchange.getRelativePath().isEmpty() && !exchange.getResolvedPath().isEmpty()) {
                    // Mounted under /video and asked for /video itself: the page's relative links need /video/.
                    String query = exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString();
                    answer = Optional.of(http.redirect(exchange.getResolvedPath() + "/" + query));
                } else if (socketPath && exchange.getRequestHeaders().contains(Headers.UPGRADE)) {
                    answer = http.refuseWebSocket(UndertowCall.of(exchange, BodySource.none()));
                }
            }
            if (answer.isPresent()) {
                CoreHandler.write(exchange, answer.get());
            } else {
                (socketPath ? socket : core).handleRequest(exchange);
            }
        };
    }

    /**
     * Serves {@code http} on {@link ServerConfig#host()}:{@link ServerConfig#port()}, plus HTTPS when configured.
     * The caller keeps ownership of {@code http}'s service and closes it after the server.
     *
     * @param server where to listen
     * @param http   the contract to serve
     * @return the running server
     */
    public static CallChatUndertow start(ServerConfig server, CallChatHttp http) {
        Optional<HubSockets> sockets = http.service().localHub().map(HubSockets::new);
        InFlight inFlight = new InFlight(http);
        Undertow.Builder builder = Undertow.builder().addHttpListener(server.port(), server.host());
        server.https().ifPresent(https -> builder.addHttpsListener(https.port(), server.host(), https.sslContext()));
        Undertow undertow = builder
                // A login holds its worker while it waits on Twilio (tens of ms). Undertow's default of
                // 8 per core (16 here) capped throughput at ~16 / 21 ms = 760 logins/s in the benchmark;
                // threads are created on demand, so a larger ceiling costs nothing when idle.
                .setWorkerThreads(Threads.WORKERS)
                // Paths reach core still percent-encoded, so it alone decides what they mean.
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // Odd bytes in a path (a backslash, say) then reach core, which answers a problem, not a bare 400.
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                .setServerOption(UndertowOptions.MAX_HEADERS, 256)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Math.max(16L * 1024 * 1024, http.maxBodyBytes() + 1L))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setHandler(handler(http, inFlight, sockets))
                .build();
        undertow.start();
        CallChatUndertow running = new CallChatUndertow(undertow, inFlight, http, sockets);
        LOG.info(http.startupLine(running.baseUri(), running.httpsUri()));
        return running;
    }

    /** @return where the server listens, e.g. {@code http://127.0.0.1:8080/} */
    public URI baseUri() {
        return baseUri;
    }

    /** @return where the server listens for HTTPS, e.g. {@code https://127.0.0.1:8443/}, when configured */
    public Optional<URI> httpsUri() {
        return httpsUri;
    }

    /**
     * Stops gracefully: answers new requests with a 503 problem, waits up to 10 s for those in
     * flight, closes the local hub's sockets (1001, going away), then the listener. The service is the
     * caller's to close after this. Idempotent.
     */
    @Override
    public void close() {
        if (stopping.getAndSet(true)) {
            return;
        }
        inFlight.drain();
        http.service().localHub().ifPresent(hub -> hub.close());
        // The hub's 1001 close frames are written asynchronously; stopping the worker at once cut
        // them off and members saw 1006 instead (CallChatUndertowTest failed under load).
        sockets.ifPresent(open -> Shutdown.await(open::allClosed, Shutdown.SOCKET_CLOSE_WAIT));
        undertow.stop();
    }

    /**
     * Reads the (small) body without blocking on the IO thread, then runs core on a worker thread
     * (never on an IO thread: logins call upstream) and writes its reply. Reading ahead keeps slow
     * senders from holding workers: 40 clients trickling a body used to block all 16 workers and
     * every other login timed out. A body not complete within {@link CallChatHttp#bodyDeadline()} drops the connection.
     */
    private record CoreHandler(CallChatHttp http, InFlight inFlight, Executor uploads) implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) {
            if (!exchange.isInIoThread()) {
                // Mounted behind a handler that already dispatched: read the body blocking, as the worker is ours anyway.
                exchange.startBlocking();
                respond(exchange, UndertowCall.blocking(exchange));
                return;
            }
            String path = UndertowCall.rawPath(exchange);
            int limit = http.maxBodyBytes(path);
            if (limit > CallChatHttp.MAX_BODY_BYTES) {
                upload(exchange, path);
                return;
            }
            if (exchange.getRequestContentLength() > limit) {
                // Too large by its header alone: core answers 413 without reading it.
                exchange.dispatch(() -> respond(exchange, BodySource.tooLarge()));
                return;
            }
            BodyBuffer body = new BodyBuffer(limit);
            XnioExecutor.Key deadline = dropAfter(exchange, http.bodyDeadline());
            body.done().thenAccept(read -> {
                deadline.remove();
                exchange.dispatch(() -> respond(exchange, read));
            });
            exchange.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
                boolean full = body.append(bytes, 0, bytes.length);
                if (full && !last) {
                    ex.getRequestReceiver().pause();
                }
                if (full || last) {
                    body.end();
                }
            }, (ex, error) -> body.fail(error));
        }

        /**
         * The upload route: core checks the bearer token before reading, so the file is read blocking,
         * on one of {@link InFlight#UPLOAD_SLOTS} threads of its own, within its body deadline.
         */
        private void upload(HttpServerExchange exchange, String path) {
            Optional<HttpReply> refused = inFlight.enterUpload(UndertowCall.of(exchange, BodySource.none()));
            if (refused.isPresent()) {
                exchange.setPersistent(false); // the unread body would otherwise be drained at the sender's pace
                write(exchange, refused.get());
                return;
            }
            XnioExecutor.Key deadline = dropAfter(exchange, http.bodyDeadline(exchange.getRequestContentLength(), path));
            exchange.dispatch(uploads, () -> {
                try {
                    exchange.startBlocking();
                    HttpReply reply = http.handle(UndertowCall.of(exchange, UndertowCall.blocking(exchange)));
                    if (exchange.getConnection().isOpen()) {
                        write(exchange, reply);
                    } else {
                        exchange.endExchange(); // dropped at the body deadline: nobody to answer
                    }
                } finally {
                    deadline.remove();
                    inFlight.exitUpload();
                }
            });
        }

        /** Closes the connection unless the body is in by then: a slow sender holds no thread or buffer longer. */
        private static XnioExecutor.Key dropAfter(HttpServerExchange exchange, Duration deadline) {
            return exchange.getIoThread().executeAfter(() -> IoUtils.safeClose(exchange.getConnection()),
                    deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void respond(HttpServerExchange exchange, BodySource body) {
            write(exchange, http.handle(UndertowCall.of(exchange, body)));
        }

        static void write(HttpServerExchange exchange, HttpReply reply) {
            exchange.setStatusCode(reply.status());
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
            exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
        }
    }
}

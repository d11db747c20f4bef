package dev.callchat.micronaut;

import dev.callchat.core.config.HttpsListener;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Shutdown;
import dev.callchat.core.spi.RoomHub;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyHttpServer;
import io.micronaut.runtime.graceful.GracefulShutdownConfiguration;
import io.micronaut.runtime.graceful.GracefulShutdownManager;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * callchat on Micronaut. Either add this module to your Micronaut application (it serves callchat
 * below {@code callchat.path}, configured by {@code callchat.*} properties), or run a whole server with
 * {@link #start}:
 *
 * <pre>{@code
 * try (CallSessionService service = CallSessionService.create(Config.fromEnvironment());
 *      CallChatMicronaut server = CallChatMicronaut.start(ServerConfig.fromEnvironment(), new CallChatHttp(service))) {
 *     System.out.println(server.baseUri());
 * }
 * }</pre>
 *
 * The adapter decides nothing itself: every request goes to core's {@link CallChatHttp}, and in local
 * mode {@code /local/ws} is bridged to the service's room hub. {@link #close()} stops it gracefully.
 */
public final class CallChatMicronaut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("callchat");

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private CallChatMicronaut(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /**
     * Serves {@code http} on {@link ServerConfig#host()}:{@link ServerConfig#port()}, plus HTTPS when configured.
     * The caller keeps ownership of {@code http}'s service and closes it after the server.
     *
     * @param server where to listen
     * @param http   the contract to serve
     * @return the running server
     */
    public static CallChatMicronaut start(ServerConfig server, CallChatHttp http) {
        return start(Map.of(), http, server);
    }

    /** As {@link #start(ServerConfig, CallChatHttp)}, with Micronaut settings on top of callchat's (for tests). */
    static CallChatMicronaut start(Map<String, Object> settings, CallChatHttp http, ServerConfig listen) {
        ApplicationContext context = ApplicationContext.builder()
                .mainClass(Main.class)
                .banner(false)
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.server.host", listen.host(),
                        "micronaut.server.port", listen.port() == 0 ? -1 : listen.port(), // Micronaut spells "any free port" -1
                        "micronaut.lifecycle.graceful-shutdown.enabled", true,
                        "micronaut.lifecycle.graceful-shutdown.grace-period", Shutdown.DRAIN_TIMEOUT.toMillis() + "ms"))
                .properties(listen.https().map(CallChatMicronaut::tlsProperties).orElse(Map.of()))
                .properties(settings)
                .singletons(http)
                .build();
        try {
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            CallChatMicronaut running = new CallChatMicronaut(context, server);
            LOG.info(http.startupLine(running.baseUri(), running.httpsUri()));
            return running;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** @return where the server listens, e.g. {@code http://127.0.0.1:8080/} */
    public URI baseUri() {
        int port = server.getPort();
        if (httpsUri().isPresent() && server instanceof NettyHttpServer netty) {
            // With SSL on, getPort() is the HTTPS listener's; the plain one is the other bound port.
            port = netty.getBoundPorts().stream().filter(p -> p != server.getPort()).findFirst().orElse(port);
        }
        return ServerConfig.baseUri("http", server.getHost(), port);
    }

    /** @return where the server listens for HTTPS, e.g. {@code https://127.0.0.1:8443/}, when configured */
    public Optional<URI> httpsUri() {
        return "https".equals(server.getScheme())
                ? Optional.of(ServerConfig.baseUri("https", server.getHost(), server.getPort())) : Optional.empty();
    }

    /**
     * Micronaut's own SSL, from the same {@code CALLCHAT_TLS_*} settings core validated: HTTPS on its
     * port, plain HTTP kept beside it (dual protocol).
     */
    static Map<String, Object> tlsProperties(HttpsListener https) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.ssl.enabled", true);
        properties.put("micronaut.server.ssl.port", https.port() == 0 ? -1 : https.port());
        properties.put("micronaut.server.dual-protocol", true);
        if (https.keystore().isPresent()) {
            properties.put("micronaut.server.ssl.key-store.path", "file:" + https.keystore().get().toAbsolutePath());
            properties.put("micronaut.server.ssl.key-store.password", https.keystorePassword().orElseThrow().reveal());
            properties.put("micronaut.server.ssl.key-store.type", "PKCS12");
        } else {
            properties.put("micronaut.server.ssl.key-store.key-path", "file:" + https.privateKey().orElseThrow().toAbsolutePath());
            properties.put("micronaut.server.ssl.key-store.certificate-path",
                    "file:" + https.certificate().orElseThrow().toAbsolutePath());
        }
        return properties;
    }

    /**
     * Stops gracefully: closes the local hub's WebSockets with 1001 first (Netty would otherwise just drop them), lets
     * in-flight requests finish within the grace period, then stops the server. The service is the caller's to
     * close after this.
     */
    @Override
    public void close() {
        if (!context.isRunning()) {
            return;
        }
        context.getBean(CallChatHttp.class).service().localHub().ifPresent(RoomHub::close);
        context.getBean(CallChatPipeline.class).awaitSocketsClosed();
        long graceMillis = context.getBean(GracefulShutdownConfiguration.class).getGracePeriod().toMillis();
        try {
            context.getBean(GracefulShutdownManager.class).shutdownGracefully()
                    .toCompletableFuture().get(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Stop anyway: what did not finish in time is cut off.
        }
        server.stop();
        context.close();
    }
}

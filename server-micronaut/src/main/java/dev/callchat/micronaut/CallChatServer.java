package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.local.LocalRoomHub;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.graceful.GracefulShutdownConfiguration;
import io.micronaut.runtime.graceful.GracefulShutdownManager;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A running callchat Micronaut server. {@link #close()} stops it gracefully. */
final class CallChatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("callchat");

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private CallChatServer(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /**
     * @param host       the address to listen on
     * @param port       the port, 0 for any free one
     * @param singletons beans that replace {@link CallChatBeans}' (a {@code Config}, a {@code CallChatHttp})
     * @return the started server
     */
    static CallChatServer start(String host, int port, Object... singletons) {
        return start(Map.of(), host, port, singletons);
    }

    /** As {@link #start(String, int, Object...)}, with Micronaut settings on top of callchat's (for tests). */
    static CallChatServer start(Map<String, Object> settings, String host, int port, Object... singletons) {
        ApplicationContext context = ApplicationContext.builder()
                .mainClass(Main.class)
                .banner(false)
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.server.host", host,
                        "micronaut.server.port", port == 0 ? -1 : port, // Micronaut spells "any free port" -1
                        // MicronautCall reads bodies lazily; this only cuts huge ones short early.
                        "micronaut.server.max-request-size", CallChatHttp.MAX_BODY_BYTES,
                        // Otherwise a path with a byte a URI may not hold (a raw backslash) never reaches core.
                        "micronaut.server.escape-html-url", true,
                        // Replies go out as core made them; Undertow does not compress either.
                        "micronaut.server.netty.compression-threshold", -1,
                        "micronaut.lifecycle.graceful-shutdown.enabled", true))
                .properties(settings)
                .singletons(singletons)
                .build();
        try {
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            CallChatServer running = new CallChatServer(context, server);
            CallSessionService service = context.getBean(CallChatHttp.class).service();
            LOG.info("callchat listening on {} (provider: {}, room: {})", running.baseUri(), service.providerName(),
                    service.config().defaultRoom());
            return running;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** @return where the server listens, e.g. {@code http://127.0.0.1:8080/} */
    URI baseUri() {
        String host = server.getHost().contains(":") ? "[" + server.getHost() + "]" : server.getHost();
        return URI.create("http://" + host + ":" + server.getPort() + "/");
    }

    /**
     * Closes the local hub's WebSockets with 1001 first (Netty would otherwise just drop them), lets
     * in-flight requests finish within the grace period, then stops the server and closes the service.
     */
    @Override
    public void close() {
        if (!context.isRunning()) {
            return;
        }
        context.getBean(CallChatHttp.class).service().localHub().ifPresent(LocalRoomHub::close);
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

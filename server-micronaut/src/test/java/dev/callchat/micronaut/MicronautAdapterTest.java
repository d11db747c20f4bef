package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomDirectory;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.TokenIssuer;
import io.netty.util.internal.ThreadExecutorMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only the Micronaut adapter can get wrong (the shared contract covers the rest): threads, shutdown, handshakes, start-up. */
class MicronautAdapterTest {
    private static final long TIMEOUT_SECONDS = 10;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void loginRunsOffTheEventLoop() throws Exception {
        AtomicReference<Boolean> onEventLoop = new AtomicReference<>();
        CallChatMicronaut server = serve(service(issuer(() -> onEventLoop.set(ThreadExecutorMap.currentExecutor() != null))));

        assertThat(login(server).statusCode()).isEqualTo(200);
        assertThat(onEventLoop.get()).as("the login ran on a Netty event loop").isFalse();
    }

    @Test
    void inFlightLoginFinishesWhenTheServerStops() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CallChatMicronaut server = serve(service(issuer(() -> {
            entered.countDown();
            await(release);
        })));
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(loginRequest(server), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
        awaitRefusingConnections(server.baseUri());
        release.countDown();

        assertThat(response.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stopped.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void stoppingTheServerClosesSocketsWith1001() throws Exception {
        CallChatMicronaut server = serve(CallSessionService.create(Config.from(Map.of())));
        Socket socket = connect(server);

        server.close();

        assertThat(socket.closeCode()).isEqualTo(1001);
    }

    @Test
    void idleSocketIsPingedInsteadOfClosed() throws Exception {
        CallSessionService service = CallSessionService.create(Config.from(Map.of()));
        toClose.add(service);
        CallChatMicronaut server = CallChatMicronaut.start(Map.of("micronaut.server.idle-timeout", "1s",
                "micronaut.server.read-idle-timeout", "1s", "micronaut.server.write-idle-timeout", "1s"),
                new CallChatHttp(service), ServerConfig.builder().port(0).build());
        toClose.add(server);
        Socket socket = connect(server);

        assertThat(socket.pinged.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(socket.closed).as("closed by the server while idle").isNotDone();
    }

    @Test
    void webSocketHandshakeInTwilioModeIs404Problem() throws Exception {
        CallChatMicronaut server = serve(service(issuer(() -> { })));

        assertThatThrownBy(() -> connect(server))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> {
                    HttpResponse<?> response = ((WebSocketHandshakeException) e.getCause()).getResponse();
                    assertThat(response.statusCode()).isEqualTo(404);
                    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                });
    }

    @Test
    void invalidConfigurationExitsWith2AndOneLineOnStderr(@TempDir Path workingDirectory) throws Exception {
        ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .directory(workingDirectory.toFile());
        java.environment().put("PORT", "eighty");
        Process process = java.start();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("callchat: invalid configuration: PORT: must be a whole number (got 'eighty')" + System.lineSeparator());
    }

    // ---- helpers ----

    private CallChatMicronaut serve(CallSessionService service) {
        toClose.add(service);
        CallChatMicronaut server = CallChatMicronaut.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
        toClose.add(server);
        return server;
    }

    /** A provider without a room hub (so the adapter is in "twilio mode") whose token issuer runs {@code probe}. */
    private static CallSessionService service(TokenIssuer issuer) {
        ChatroomDirectory chatrooms = new ChatroomDirectory() {
            @Override
            public Chatroom findOrCreate(String roomName) {
                return new Chatroom(roomName, "CH" + "0".repeat(32), "IS" + "0".repeat(32));
            }

            @Override
            public void evict(String roomName) {
            }
        };
        Provider provider = new Provider("twilio", chatrooms, (chatroom, identity) -> { }, issuer, Optional.empty(), () -> { });
        return CallSessionService.builder(Config.from(Map.of())).provider(provider).build();
    }

    private static TokenIssuer issuer(Runnable probe) {
        return (identity, room, chatroom) -> {
            probe.run();
            return new TokenIssuer.IssuedToken("header.payload.signature", Instant.now().plusSeconds(3600));
        };
    }

    private HttpRequest loginRequest(CallChatMicronaut server) {
        return HttpRequest.newBuilder(server.baseUri().resolve("login"))
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}"))
                .build();
    }

    private HttpResponse<String> login(CallChatMicronaut server) throws IOException, InterruptedException {
        return client.send(loginRequest(server), HttpResponse.BodyHandlers.ofString());
    }

    private Socket connect(CallChatMicronaut server) throws Exception {
        URI uri = URI.create("ws://" + server.baseUri().getAuthority() + CallChatHttp.LOCAL_WS_PATH);
        Socket socket = new Socket();
        try {
            client.newWebSocketBuilder().buildAsync(uri, socket).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
        return socket;
    }

    private static void awaitRefusingConnections(URI server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                new java.net.Socket(server.getHost(), server.getPort()).close();
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20); // poll: nothing to wait on but the port
        }
        throw new AssertionError("the server still accepts connections while stopping");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A WebSocket client that waits for the close code. */
    private static final class Socket implements WebSocket.Listener {
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final CompletableFuture<Boolean> pinged = new CompletableFuture<>();
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletableFuture<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
            pinged.complete(true);
            return WebSocket.Listener.super.onPing(webSocket, message);
        }

        @Override
        public CompletableFuture<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        int closeCode() throws Exception {
            return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}

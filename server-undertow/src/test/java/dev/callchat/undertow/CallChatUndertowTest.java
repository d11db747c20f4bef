package dev.callchat.undertow;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import io.undertow.Handlers;
import io.undertow.Undertow;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What only the Undertow adapter has: prefix mounting, its lifecycle, and {@code Main}. */
class CallChatUndertowTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @Test
    void handlerMountedUnderAPrefixServesTheContractBelowIt() throws Exception {
        try (CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")))) {
            Undertow undertow = Undertow.builder()
                    .addHttpListener(0, "127.0.0.1")
                    .setHandler(Handlers.path().addPrefixPath("/chat", CallChatUndertow.handler(service)))
                    .build();
            undertow.start();
            try {
                int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
                URI base = URI.create("http://127.0.0.1:" + port);

                HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/chat/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(base.resolve("/chat/health")).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(login.statusCode()).isEqualTo(200);
                assertThat(login.body()).contains("\"identity\":\"ana\"");
                assertThat(health.statusCode()).isEqualTo(200);
            } finally {
                undertow.stop();
            }
        }
    }

    @Test
    void closingTheServerSendsGoingAwayToSocketsBeforeTheServiceCloses() throws Exception {
        CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
        CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        try (service) {
            String token = client.send(HttpRequest.newBuilder(server.baseUri().resolve("login"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
            CompletableFuture<String> welcome = new CompletableFuture<>();
            WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://" + server.baseUri().getAuthority() + "/local/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            welcome.complete(data.toString());
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                            closeCode.complete(statusCode);
                            return null;
                        }
                    }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(welcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("\"welcome\"");
            server.close();
            assertThat(closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1001);
        } finally {
            server.close();
        }
    }

    @Test
    void closeLetsInFlightLoginsFinishAndAnswersNewcomersWith503() throws Exception {
        CountDownLatch loginStarted = new CountDownLatch(1);
        CountDownLatch releaseLogin = new CountDownLatch(1);
        CallSessionService service = CallSessionService.builder(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")))
                .authenticator(request -> {
                    loginStarted.countDown();
                    try {
                        releaseLogin.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return request.username();
                }).build();
        try (service) {
            CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(server.baseUri().resolve("login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(loginStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            HttpResponse<String> newcomer = null;
            for (int i = 0; i < 100 && (newcomer == null || newcomer.statusCode() != 503); i++) {
                newcomer = client.send(HttpRequest.newBuilder(server.baseUri().resolve("health")).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            releaseLogin.countDown();

            assertThat(newcomer.statusCode()).isEqualTo(503);
            assertThat(newcomer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(newcomer.headers().firstValue("Retry-After")).isPresent();
            assertThat(inFlight.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode()).isEqualTo(200);
            closing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void mainRejectsInvalidConfigurationWithOneLineAndExitCode2() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .directory(new File(System.getProperty("java.io.tmpdir")));
        builder.environment().put("PORT", "eighty");
        Process process = builder.start();
        process.getOutputStream().close();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr.strip()).contains("PORT").doesNotContain("Exception").doesNotContain("\n");
    }
}

package dev.callchat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static dev.callchat.examples.UndertowHostTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Examples (c) and (d): callchat inside a framework application that has its own controller at
 * {@code /hello}, mounted at {@code /video} by {@code callchat.path} in application.properties.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostApplicationContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private URI base;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

    /** @return the port of the started host application, on 127.0.0.1 */
    abstract int start();

    abstract void stop();

    @BeforeAll
    void startHost() {
        base = URI.create("http://127.0.0.1:" + start());
    }

    @AfterAll
    void stopHost() {
        stop();
    }

    @Test
    void theHostsOwnControllerStillAnswers() throws Exception {
        HttpResponse<String> hello = get("/hello");

        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello from the host application");
    }

    @Test
    void pathsOutsideTheMountAreLeftToTheHost() throws Exception {
        HttpResponse<String> missing = get("/login");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).isNotEqualTo(java.util.Optional.of("application/problem+json"));
    }

    @Test
    void thePrefixItselfRedirectsToTheFolder() throws Exception {
        HttpResponse<String> bare = get("/video");

        assertThat(bare.statusCode()).isEqualTo(308);
        assertThat(bare.headers().firstValue("Location")).contains("/video/");
    }

    @Test
    void thePageAndEveryFileItReferencesAreServedUnderThePrefix() throws Exception {
        HttpResponse<String> page = get("/video/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));

        List<String> references = UndertowHostTest.relativeReferences(page.body());
        assertThat(references).isNotEmpty();
        for (String reference : references) {
            assertThat(get("/video/" + reference).statusCode()).as(reference).isEqualTo(200);
        }
    }

    @Test
    void loginHealthAndTheOpenApiDocumentAnswerUnderThePrefix() throws Exception {
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/video/login")).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(login.body()).path("identity").asText()).isEqualTo("ana");
        assertThat(JSON.readTree(login.body()).path("room").asText()).as("callchat.room").isEqualTo("Video Lobby");
        assertThat(get("/video/health").statusCode()).isEqualTo(200);
        assertThat(get("/video/openapi.json").statusCode()).isEqualTo(200);
    }

    @Test
    void theLocalWebSocketAnswersUnderThePrefix() throws Exception {
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/video/login")).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"bo\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String token = JSON.readTree(login.body()).path("token").asText();
        CompletableFuture<JsonNode> first = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + base.getPort() + "/video/local/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        try {
                            first.complete(JSON.readTree(data.toString()));
                        } catch (Exception e) {
                            first.completeExceptionally(e);
                        }
                        return null;
                    }
                }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            JsonNode welcome = first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            assertThat(welcome.path("identity").asText()).isEqualTo("bo");
        } finally {
            socket.abort();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }
}

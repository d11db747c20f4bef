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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Examples (b), (c) and (d): callchat inside an application that has pages of its own, mounted at
 * {@code /video} (by {@code callchat.path} in application.properties on the frameworks, by a path
 * handler on Undertow, whose configuration names the same default room).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostApplicationContract {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private URI base;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

    /** @return the port of the started host application, on 127.0.0.1 */
    abstract int start();

    abstract void stop();

    /** @return a page of the host application's own (a controller at {@code /hello}), and what it says */
    Map.Entry<String, String> ownPage() {
        return Map.entry("/hello", "Hello from the host application");
    }

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
        HttpResponse<String> own = get(ownPage().getKey());

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).isEqualTo(ownPage().getValue());
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

        List<String> references = relativeReferences(page.body());
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

    /** @return the {@code href}/{@code src} values of the page that are relative paths (not absolute, not data:) */
    static List<String> relativeReferences(String html) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?:href|src)=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            String ref = m.group(1);
            if (!ref.startsWith("/") && !ref.contains(":") && !ref.startsWith("#")) {
                found.add(ref);
            }
        }
        return found;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }
}

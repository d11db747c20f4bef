package dev.callchat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

/** Example (b): callchat mounted under /video inside an application's own Undertow. */
class UndertowHostTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private UndertowHost app;

    @BeforeEach
    void start() {
        app = UndertowHost.start(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")), "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void theHostKeepsItsOwnPages() throws Exception {
        HttpResponse<String> home = get("/");

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).isEqualTo("Our product's home page");
    }

    @Test
    void thePrefixItselfRedirectsToTheFolderSoThePagesRelativeLinksWork() throws Exception {
        HttpResponse<String> bare = get("/video");

        assertThat(bare.statusCode()).isEqualTo(308);
        assertThat(bare.headers().firstValue("Location")).contains("/video/");
    }

    @Test
    void thePageAndEveryFileItReferencesAreServedUnderThePrefix() throws Exception {
        HttpResponse<String> page = get("/video/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();

        List<String> references = relativeReferences(page.body());
        assertThat(references).isNotEmpty();
        for (String reference : references) {
            assertThat(get("/video/" + reference).statusCode()).as(reference).isEqualTo(200);
        }
    }

    @Test
    void loginAndHealthAnswerUnderThePrefix() throws Exception {
        HttpResponse<String> login = postJson("/video/login", "{\"username\":\"ana\"}");
        HttpResponse<String> health = get("/video/health");

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(login.body()).path("identity").asText()).isEqualTo("ana");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("provider").asText()).isEqualTo("local");
    }

    @Test
    void theLocalWebSocketAnswersUnderThePrefix() throws Exception {
        String token = JSON.readTree(postJson("/video/login", "{\"username\":\"ana\"}").body()).path("token").asText();
        CompletableFuture<JsonNode> first = new CompletableFuture<>();
        URI ws = URI.create("ws" + app.baseUri().resolve("/video/local/ws").toString().substring("http".length()));
        WebSocket socket = client.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
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
            assertThat(welcome.path("identity").asText()).isEqualTo("ana");
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
        return client.send(HttpRequest.newBuilder(app.baseUri().resolve(path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(app.baseUri().resolve(path)).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

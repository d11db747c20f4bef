package dev.callchat.examples;

import dev.callchat.core.CallChatMeters;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Example (e): the integrator's own registry receives callchat's meters, and /video/metrics scrapes it. */
class MeteredHostTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private MeteredHost app;

    @BeforeEach
    void start() {
        app = MeteredHost.start(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")), "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aLoginShowsUpInTheIntegratorsRegistryAndInTheScrape() throws Exception {
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(app.baseUri().resolve("/video/login")).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);

        assertThat(app.registry().get(CallChatMeters.LOGINS).tags("outcome", "ok").timer().count()).isEqualTo(1);
        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(app.baseUri().resolve("/video/metrics")).timeout(WAIT)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("callchat_login_seconds_count{outcome=\"ok\",provider=\"local\"} 1")
                .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"200\",uri=\"/login\"} 1");
    }
}

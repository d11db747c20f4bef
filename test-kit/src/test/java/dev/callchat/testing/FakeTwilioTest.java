package dev.callchat.testing;

import dev.callchat.core.config.Config;
import dev.callchat.testing.FakeTwilio.Fault;
import dev.callchat.testing.FakeTwilio.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The fake itself: what other modules' tests and benchmarks rely on. */
class FakeTwilioTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeTwilio fake;

    @BeforeEach
    void start() {
        fake = FakeTwilio.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void itListensOnLoopback() {
        assertThat(fake.baseUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(fake.baseUrl().getPort()).isPositive();
    }

    @Test
    void tenThousandConversationsSeedWithoutApiCalls() {
        // The bound only catches a hang: how fast seeding runs depends on the machine, not on the fake.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> fake.seedConversations(10_000, "room-"));

        assertThat(fake.conversationCount()).isEqualTo(10_000);
        assertThat(fake.totalCalls()).isZero();
    }

    @Test
    void itsConfigPointsCallchatAtTheFake() {
        Config config = fake.config();

        assertThat(config.providerName()).isEqualTo("twilio");
        assertThat(config.apiBaseUrl()).contains(fake.baseUrl());
        assertThat(config.twilio().orElseThrow().apiKeySid()).isEqualTo(FakeTwilio.API_KEY_SID);
    }

    @Test
    void aRequestWithoutTheApiKeyIsRejectedLikeTwilioDoes() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/Conversations/x", "AC" + "0".repeat(32) + ":token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":20003").contains("\"status\":401").contains("more_info");
        assertThat(fake.rejectedCredentials()).isEqualTo(1);
    }

    @Test
    void theListRouteExistsAndIsCounted() throws Exception {
        fake.seedConversations(3, "room-");

        HttpResponse<String> response = send("GET", "/v1/Conversations", apiKey());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"conversations\"").contains("\"meta\"");
        assertThat(fake.calls(Route.LIST_CONVERSATIONS)).isEqualTo(1);
    }

    @Test
    void aScriptedFaultAnswersTheNextCallsOnlyAndCarriesRetryAfter() throws Exception {
        fake.createConversation("r");
        fake.failNext(Route.FETCH_CONVERSATION, 1, Fault.tooManyRequests(7));

        HttpResponse<String> first = send("GET", "/v1/Conversations/r", apiKey());
        HttpResponse<String> second = send("GET", "/v1/Conversations/r", apiKey());

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("7");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).matches(".*\"sid\":\"CH[0-9a-f]{32}\".*")
                .matches(".*\"chat_service_sid\":\"IS[0-9a-f]{32}\".*").contains("\"unique_name\":\"r\"");
        assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(2);
    }

    @Test
    void itKeepsEachRequestWithTheIdentityItNamesUntilReset() throws Exception {
        String sid = fake.createConversation("r");

        send("POST", "/v1/Conversations/" + sid + "/Participants", apiKey(), "Identity=ana+b");
        send("GET", "/v1/Conversations/" + sid + "/Participants/carol%20c", apiKey());

        assertThat(fake.requests()).extracting(FakeTwilio.Request::route)
                .containsExactly(Route.CREATE_PARTICIPANT, Route.FETCH_PARTICIPANT);
        assertThat(fake.requests().get(0).names("ana b")).isTrue();
        assertThat(fake.requests().get(0).names("carol c")).isFalse();
        assertThat(fake.requests().get(1).names("carol c")).isTrue();
        assertThat(fake.requests().get(1).names("ana b")).isFalse();

        fake.resetCounters();
        assertThat(fake.requests()).isEmpty();
    }

    private HttpResponse<String> send(String method, String path, String basicAuth) throws Exception {
        return send(method, path, basicAuth, "");
    }

    private HttpResponse<String> send(String method, String path, String basicAuth, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        basicAuth.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, form.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String apiKey() {
        return FakeTwilio.API_KEY_SID + ":" + FakeTwilio.API_KEY_SECRET;
    }
}

package dev.callchat.testing;

import dev.callchat.testing.FakeTwilio.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake's per-conversation actions-per-second limit, on a clock the test moves. */
class FakeTwilioActionLimitTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private FakeTwilio fake;
    private String sid;

    @BeforeEach
    void start() {
        fake = FakeTwilio.start().actionsClock(clock);
        sid = fake.createConversation("Town Hall");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void theThirtyFirstParticipantAddInOneSecondIs429With20429AndNoRetryAfter() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertThat(addParticipant(sid, "user" + i).statusCode()).isEqualTo(201);
            clock.add(Duration.ofMillis(10));
        }

        HttpResponse<String> refused = addParticipant(sid, "user30");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"code\":20429");
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(fake.participants(sid)).hasSize(30).doesNotContain("user30");
        assertThat(fake.throttled(Route.CREATE_PARTICIPANT)).isEqualTo(1);
        assertThat(fake.calls(Route.CREATE_PARTICIPANT)).isEqualTo(31);
    }

    @Test
    void theLimitCountsAnyOneSecondSpanAndRefusedRequestsDoNotCount() throws Exception {
        fake.actionsPerSecond(2);
        assertThat(addParticipant(sid, "a").statusCode()).isEqualTo(201);
        clock.add(Duration.ofMillis(600));
        assertThat(addParticipant(sid, "b").statusCode()).isEqualTo(201);
        clock.add(Duration.ofMillis(300));
        assertThat(addParticipant(sid, "c").statusCode()).as("a and b within the last second").isEqualTo(429);
        clock.add(Duration.ofMillis(100));
        assertThat(addParticipant(sid, "c").statusCode()).as("a is a second old").isEqualTo(201);
        assertThat(addParticipant(sid, "d").statusCode()).isEqualTo(429);
    }

    @Test
    void eachConversationHasItsOwnLimitAndReadsAreNotLimited() throws Exception {
        fake.actionsPerSecond(1);
        String other = fake.createConversation("Other Room");
        assertThat(addParticipant(sid, "a").statusCode()).isEqualTo(201);

        assertThat(addParticipant(other, "a").statusCode()).isEqualTo(201);
        assertThat(addParticipant(sid, "b").statusCode()).isEqualTo(429);
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", "/v1/Conversations/" + sid, "").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutALimitNothingIsRefused() throws Exception {
        fake.actionsPerSecond(Integer.MAX_VALUE);
        for (int i = 0; i < 100; i++) {
            assertThat(addParticipant(sid, "user" + i).statusCode()).isEqualTo(201);
        }
        assertThat(fake.throttled(Route.CREATE_PARTICIPANT)).isZero();
    }

    private HttpResponse<String> addParticipant(String conversation, String identity) throws Exception {
        return send("POST", "/v1/Conversations/" + conversation + "/Participants", "Identity=" + identity);
    }

    private HttpResponse<String> send(String method, String path, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (FakeTwilio.API_KEY_SID + ":" + FakeTwilio.API_KEY_SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}

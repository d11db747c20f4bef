package dev.callchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.testing.FakeTwilio.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake keeps Twilio's documented rules (links in {@link FakeTwilio}'s "Twilio's rules" section), on
 * its injected clock: each test here is one rule, spoken to over HTTP the way twilio-java does.
 */
class FakeTwilioRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-01T10:00:00.250Z"), ZoneOffset.UTC);
    private FakeTwilio fake;

    @BeforeEach
    void start() {
        fake = FakeTwilio.start(clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void aSidShapedValueIsLookedUpAsASidAndAnythingElseAsAUniqueName() throws Exception {
        String sid = fake.createConversation("Private Board Room");

        assertThat(body(get("/v1/Conversations/" + sid)).get("unique_name").textValue()).isEqualTo("Private Board Room");
        assertThat(body(get("/v1/Conversations/Private%20Board%20Room")).get("sid").textValue()).isEqualTo(sid);
        assertThat(get("/v1/Conversations/CH" + "f".repeat(32)).statusCode()).isEqualTo(404);
    }

    @Test
    void aSidShapedUniqueNameIsRefusedWith50390() throws Exception {
        HttpResponse<String> response = post("/v1/Conversations", Map.of("UniqueName", "CH" + "ab".repeat(16)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).get("code").intValue()).isEqualTo(50390);
        assertThat(fake.conversationCount()).isZero();
    }

    @Test
    void timersNeedAStateOnCreate() throws Exception {
        HttpResponse<String> response = post("/v1/Conversations", Map.of("UniqueName", "r", "Timers.Closed", "PT1H"));

        assertThat(body(response).get("code").intValue()).isEqualTo(50382);
    }

    @Test
    void aClosedTimerUnderTenMinutesIsRefused() throws Exception {
        HttpResponse<String> response = post("/v1/Conversations",
                Map.of("UniqueName", "r", "State", "active", "Timers.Closed", "PT9M"));

        assertThat(body(response).get("code").intValue()).isEqualTo(50376);
    }

    @Test
    void theClosedTimerClosesTheConversationOnTheFakesClockAndKeepsItsUniqueName() throws Exception {
        JsonNode created = body(post("/v1/Conversations",
                Map.of("UniqueName", "Timed Room", "State", "active", "Timers.Closed", "PT1H")));
        String sid = created.get("sid").textValue();

        assertThat(created.get("state").textValue()).isEqualTo("active");
        assertThat(created.get("timers").get("date_closed").textValue()).isEqualTo("2026-12-01T11:00:00Z");
        clock.add(Duration.ofMinutes(59));
        assertThat(fake.state(sid)).contains("active");
        clock.add(Duration.ofMinutes(1));
        assertThat(body(get("/v1/Conversations/Timed%20Room")).get("state").textValue()).isEqualTo("closed");
        assertThat(post("/v1/Conversations", Map.of("UniqueName", "Timed Room")).statusCode()).isEqualTo(409);
    }

    @Test
    void aClosedConversationRefusesNewParticipantsWith50377() throws Exception {
        String sid = fake.createConversation("Closed Room");
        fake.closeConversation("Closed Room");

        HttpResponse<String> response = post("/v1/Conversations/" + sid + "/Participants", Map.of("Identity", "ana"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body(response).get("code").intValue()).isEqualTo(50377);
        assertThat(fake.participants(sid)).isEmpty();
    }

    @Test
    void aFullConversationRefusesTheNextParticipantWith50417() throws Exception {
        String sid = fake.createConversation("Full Room");
        fake.participantLimit(2);
        post("/v1/Conversations/" + sid + "/Participants", Map.of("Identity", "a"));
        post("/v1/Conversations/" + sid + "/Participants", Map.of("Identity", "b"));

        HttpResponse<String> third = post("/v1/Conversations/" + sid + "/Participants", Map.of("Identity", "c"));

        assertThat(body(third).get("code").intValue()).isEqualTo(50417);
        assertThat(fake.participants(sid)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void anIdentityInTooManyOpenConversationsIsRefusedWith50214UntilOneCloses() throws Exception {
        fake.userConversationLimit(2);
        String first = fake.createConversation("one");
        String second = fake.createConversation("two");
        String third = fake.createConversation("three");
        post("/v1/Conversations/" + first + "/Participants", Map.of("Identity", "ana"));
        post("/v1/Conversations/" + second + "/Participants", Map.of("Identity", "ana"));

        assertThat(body(post("/v1/Conversations/" + third + "/Participants", Map.of("Identity", "ana")))
                .get("code").intValue()).isEqualTo(50214);
        fake.closeConversation("one");
        assertThat(post("/v1/Conversations/" + third + "/Participants", Map.of("Identity", "ana")).statusCode())
                .isEqualTo(201);
    }

    @Test
    void the31stCreateInOneSecondOfAServiceIs429WithoutRetryAfter() throws Exception {
        for (int i = 0; i < FakeTwilio.SERVICE_ACTIONS_PER_SECOND; i++) {
            assertThat(post("/v1/Conversations", Map.of("UniqueName", "burst-" + i)).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> refused = post("/v1/Conversations", Map.of("UniqueName", "burst-30"));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(body(refused).get("code").intValue()).isEqualTo(20429);
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(fake.conversationSid("burst-30")).isEmpty();
        clock.add(Duration.ofSeconds(1));
        assertThat(post("/v1/Conversations", Map.of("UniqueName", "burst-30")).statusCode()).isEqualTo(201);
    }

    @Test
    void deletesShareTheCreateLimitAndFreeTheUniqueName() throws Exception {
        fake.conversationCreatesPerSecond(2);
        String sid = body(post("/v1/Conversations", Map.of("UniqueName", "gone"))).get("sid").textValue();

        assertThat(send("DELETE", "/v1/Conversations/" + sid, "").statusCode()).isEqualTo(204);
        assertThat(fake.calls(Route.DELETE_CONVERSATION)).isEqualTo(1);
        assertThat(post("/v1/Conversations", Map.of("UniqueName", "gone")).statusCode()).isEqualTo(429);
        clock.add(Duration.ofSeconds(1));
        assertThat(post("/v1/Conversations", Map.of("UniqueName", "gone")).statusCode()).isEqualTo(201);
    }

    @Test
    void aVideoParticipantCanOnlyBeSetToDisconnectedAnd53209Otherwise() throws Exception {
        fake.connectVideo("Standup", "bob");

        HttpResponse<String> wrong = post("/v1/Rooms/Standup/Participants/bob", Map.of("Status", "connected"));
        HttpResponse<String> kicked = post("/v1/Rooms/Standup/Participants/bob", Map.of("Status", "disconnected"));
        HttpResponse<String> again = post("/v1/Rooms/Standup/Participants/bob", Map.of("Status", "disconnected"));

        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(body(wrong).get("code").asInt()).isEqualTo(53209);
        assertThat(kicked.statusCode()).isEqualTo(200);
        assertThat(body(kicked).get("status").textValue()).isEqualTo("disconnected");
        assertThat(body(kicked).get("identity").textValue()).isEqualTo("bob");
        assertThat(again.statusCode()).as("only a connected participant can be kicked").isEqualTo(404);
        assertThat(fake.videoParticipants("Standup")).isEmpty();
    }

    @Test
    void completingARoomDisconnectsEveryoneAndFreesItsUniqueName() throws Exception {
        fake.connectVideo("Standup", "ana");
        fake.connectVideo("Standup", "bob");

        HttpResponse<String> completed = post("/v1/Rooms/Standup", Map.of("Status", "completed"));

        assertThat(completed.statusCode()).isEqualTo(200);
        assertThat(body(completed).get("status").textValue()).isEqualTo("completed");
        assertThat(fake.videoParticipants("Standup")).isEmpty();
        assertThat(post("/v1/Rooms/Standup", Map.of("Status", "completed")).statusCode())
                .as("a unique name addresses only an in-progress room").isEqualTo(404);
        fake.connectVideo("Standup", "ana");
        assertThat(fake.videoRoomStatus("Standup")).contains("in-progress");
    }

    @Test
    void aConversationParticipantIsFetchedByIdentityAndDeletedBySid() throws Exception {
        String conversation = fake.createConversation("Standup");
        HttpResponse<String> added = post("/v1/Conversations/" + conversation + "/Participants", Map.of("Identity", "bob"));
        String sid = body(added).get("sid").textValue();

        HttpResponse<String> fetched = get("/v1/Conversations/" + conversation + "/Participants/bob");
        HttpResponse<String> deleted = send("DELETE", "/v1/Conversations/" + conversation + "/Participants/" + sid, "");

        assertThat(body(fetched).get("sid").textValue()).isEqualTo(sid);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(fake.participants(conversation)).isEmpty();
        assertThat(get("/v1/Conversations/" + conversation + "/Participants/bob").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, "");
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send("POST", path, body);
    }

    private HttpResponse<String> send(String method, String path, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (FakeTwilio.API_KEY_SID + ":" + FakeTwilio.API_KEY_SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, form.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}

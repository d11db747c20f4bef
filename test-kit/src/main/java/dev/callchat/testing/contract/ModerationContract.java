package dev.callchat.testing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.threeten.extra.MutableClock;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hosts and their actions ({@code POST /room/*}) over real HTTP and WebSocket, for any adapter: the server
 * authorizes every action from the caller's token, bans and locks refuse logins (a lock before any Twilio
 * call), and the local hub closes removed and ended members with the documented close codes
 * (docs/local-protocol.md). Plug in like {@link HttpContract}: extend and implement {@link #start(CallChatHttp)}.
 *
 * <p>The local server runs on a {@link MutableClock}, so a ban ends when the test moves the clock, never by waiting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ModerationContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final MutableClock clock = MutableClock.of(Instant.now(), ZoneOffset.UTC);
    private final FakeTwilio twilio = FakeTwilio.start();
    private CallSessionService localService;
    private CallSessionService twilioService;
    private RunningServer local;
    private RunningServer twilioServer;
    private int rooms;

    /**
     * Starts the adapter's server on a free port of 127.0.0.1, serving exactly {@code http} at its root.
     *
     * @param http the contract implementation to serve
     * @return the running server; the suite closes it
     */
    protected abstract RunningServer start(CallChatHttp http);

    @BeforeAll
    void startServers() {
        localService = CallSessionService.builder(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")))
                .clock(clock).build();
        local = start(new CallChatHttp(localService, HttpContract.TEST_ASSET_ROOT));
        twilioService = CallSessionService.create(twilio.config(new HashMap<>(Map.of("CALLCHAT_LOGIN_RATE", "off"))));
        twilioServer = start(new CallChatHttp(twilioService, HttpContract.TEST_ASSET_ROOT));
    }

    @AfterAll
    void stopServers() throws Exception {
        try {
            local.close();
            twilioServer.close();
        } finally {
            localService.close();
            twilioService.close();
            twilio.close();
        }
    }

    /** A room of this test's own, so tests sharing the servers never meet. */
    private String room() {
        return "Moderated " + (++rooms);
    }

    @Test
    void theFirstMemberHostsAndTheLoginSaysWho() throws Exception {
        String room = room();
        JsonNode ana = login(local, "ana", room);
        JsonNode bob = login(local, "bob", room);

        assertThat(ana.path("role").asText()).isEqualTo("host");
        assertThat(bob.path("role").asText()).isEqualTo("participant");
        assertThat(bob.path("host").asText()).isEqualTo("ana");
    }

    @Test
    void aNonHostsActionsAre403ProblemsOnBothProviders() throws Exception {
        for (RunningServer server : new RunningServer[] {local, twilioServer}) {
            String room = room();
            login(server, "ana", room);
            String bob = login(server, "bob", room).path("token").asText();

            assertProblem(post(server, "/room/lock", bob, null), 403);
            assertProblem(post(server, "/room/unlock", bob, null), 403);
            assertProblem(post(server, "/room/end", bob, null), 403);
            assertProblem(post(server, "/room/remove", bob, "{\"identity\":\"ana\"}"), 403);
            assertProblem(post(server, "/room/ban", bob, "{\"identity\":\"ana\",\"until\":\"" + clock.instant().plusSeconds(60) + "\"}"), 403);
            assertProblem(post(server, "/room/host", bob, "{\"identity\":\"bob\"}"), 403);
            assertProblem(post(server, "/room/lock", null, null), 401);
            assertThat(login(server, "carol", room).path("host").asText()).isEqualTo("ana");
        }
    }

    @Test
    void aBannedMemberIsClosedAndCannotRejoinWhileBannedButCanAfter() throws Exception {
        String room = room();
        String ana = login(local, "ana", room).path("token").asText();
        JsonNode bobLogin = login(local, "bob", room);
        String bob = bobLogin.path("token").asText();
        HttpResponse<byte[]> banned;
        try (SocketClient bobs = socket(bob)) {
            bobs.next("welcome");

            banned = post(local, "/room/ban", ana,
                    "{\"identity\":\"bob\",\"until\":\"" + clock.instant().plus(Duration.ofMinutes(5)) + "\"}");

            assertThat(banned.statusCode()).isEqualTo(200);
            assertThat(bobs.next("moderated").path("reason").asText()).isEqualTo("banned");
            assertThat(bobs.closure().code()).isEqualTo(4403);
        }
        // A token cannot be revoked: the five-minute ban lasts until bob's token expires.
        Instant until = Instant.parse(JSON.readTree(banned.body()).path("until").asText());
        assertThat(until).isEqualTo(Instant.parse(bobLogin.path("expires_at").asText()));
        assertProblem(loginResponse(local, "bob", room), 403);
        try (SocketClient again = socket(bob)) {
            assertThat(again.closure().code()).isEqualTo(4403);
        }

        clock.setInstant(until.minusSeconds(1));
        assertProblem(loginResponse(local, "bob", room), 403);
        clock.setInstant(until);
        String fresh = login(local, "bob", room).path("token").asText();
        try (SocketClient back = socket(fresh)) {
            assertThat(back.next("welcome").path("identity").asText()).isEqualTo("bob");
        }
    }

    @Test
    void aRemovedMemberIsClosedWith4403AndMayLogInAgain() throws Exception {
        String room = room();
        String ana = login(local, "ana", room).path("token").asText();
        String bob = login(local, "bob", room).path("token").asText();
        try (SocketClient bobs = socket(bob)) {
            bobs.next("welcome");

            assertThat(post(local, "/room/remove", ana, "{\"identity\":\"bob\"}").statusCode()).isEqualTo(204);

            assertThat(bobs.next("moderated").path("reason").asText()).isEqualTo("removed");
            assertThat(bobs.closure()).isEqualTo(new SocketClient.Closure(4403, "removed by the host"));
        }
        assertThat(loginResponse(local, "bob", room).statusCode()).isEqualTo(200);
    }

    @Test
    void aLockedRoomRefusesNewLoginsWith423BeforeAnyTwilioCall() throws Exception {
        String room = room();
        JsonNode anaLogin = login(twilioServer, "ana", room);
        String ana = anaLogin.path("token").asText();

        assertThat(post(twilioServer, "/room/lock", ana, null).statusCode()).isEqualTo(204);
        twilio.resetCounters();
        HttpResponse<byte[]> refused = loginResponse(twilioServer, "carol", room);

        assertProblem(refused, 423);
        assertThat(JSON.readTree(refused.body()).path("type").asText()).isEqualTo("https://callchat.dev/problems/room-locked");
        // Not a count of all calls: ana's queued enrollment may reach the fake at any moment. Carol's refused login
        // must not have made a call of its own: no enrollment and no lookup of her.
        assertThat(twilio.requests()).noneMatch(r -> r.names("carol"));
        assertThat(loginResponse(twilioServer, "ana", room).statusCode()).isEqualTo(200);
        assertThat(post(twilioServer, "/room/unlock", ana, null).statusCode()).isEqualTo(204);
        assertThat(loginResponse(twilioServer, "carol", room).statusCode()).isEqualTo(200);
    }

    @Test
    void anEndedRoomDisconnectsEveryoneWith4410() throws Exception {
        String room = room();
        String ana = login(local, "ana", room).path("token").asText();
        String bob = login(local, "bob", room).path("token").asText();
        try (SocketClient anas = socket(ana); SocketClient bobs = socket(bob)) {
            anas.next("welcome");
            bobs.next("welcome");

            assertThat(post(local, "/room/end", ana, null).statusCode()).isEqualTo(204);

            assertThat(anas.closure()).isEqualTo(new SocketClient.Closure(4410, "room ended"));
            assertThat(bobs.closure()).isEqualTo(new SocketClient.Closure(4410, "room ended"));
        }
    }

    // ---- helpers

    private SocketClient socket(String token) throws Exception {
        return SocketClient.connect(client, local).send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
    }

    private JsonNode login(RunningServer server, String name, String room) throws Exception {
        HttpResponse<byte[]> response = loginResponse(server, name, room);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<byte[]> loginResponse(RunningServer server, String name, String room) throws Exception {
        return send(HttpRequest.newBuilder(server.uri("/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"room\":\"" + room + "\"}")));
    }

    private HttpResponse<byte[]> post(RunningServer server, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        return send(request);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status) throws Exception {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(status);
    }
}

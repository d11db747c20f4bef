package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.AuthenticatedUser;
import dev.callchat.core.Authenticator;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpCall;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.spi.HubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Hosts and their actions through the whole of core: HTTP routes, the service's room rules and the local hub. */
class ModerationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "Standup";
    private static final String SECRET = "a-local-secret-of-at-least-32-bytes!!";

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private CallSessionService service = service(Authenticator.typedUsername());
    private CallChatHttp http = new CallChatHttp(service);

    private CallSessionService service(Authenticator authenticator) {
        return CallSessionService.builder(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off", "CALLCHAT_LOCAL_SECRET", SECRET)))
                .clock(clock).authenticator(authenticator).build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void firstMemberOfAnEmptyRoomHostsItAndTheLoginSaysSo() throws Exception {
        JsonNode ana = login("ana");
        JsonNode bob = login("bob");

        assertThat(ana.path("role").asText()).isEqualTo("host");
        assertThat(ana.path("host").asText()).isEqualTo("ana");
        assertThat(bob.path("role").asText()).isEqualTo("participant");
        assertThat(bob.path("host").asText()).isEqualTo("ana");
    }

    @Test
    void aNonHostsActionsAre403AndChangeNothing() throws Exception {
        JsonNode ana = login("ana");
        JsonNode bob = login("bob");
        String bobs = bob.path("token").asText();

        for (String action : new String[] {"lock", "unlock", "end"}) {
            assertProblem(post("/room/" + action, bobs, null), 403);
        }
        assertProblem(post("/room/remove", bobs, "{\"identity\":\"ana\"}"), 403);
        assertProblem(post("/room/ban", bobs, "{\"identity\":\"ana\",\"until\":\"2026-12-01T12:00:00Z\"}"), 403);
        assertProblem(post("/room/host", bobs, "{\"identity\":\"bob\"}"), 403);

        assertThat(login("ana").path("host").asText()).isEqualTo("ana");
        assertThat(login("carol").path("role").asText()).isEqualTo("participant");
        assertThat(ana.path("role").asText()).isEqualTo("host");
    }

    @Test
    void badInputsAreProblemsAndChangeNothing() throws Exception {
        String anas = login("ana").path("token").asText();
        login("bob");

        assertProblem(post("/room/lock", null, null), 401);
        assertProblem(post("/room/lock", "not-a-token", null), 401);
        assertProblem(post("/room/remove", anas, "{}"), 400);
        assertProblem(post("/room/remove", anas, "{\"identity\":7}"), 400);
        assertProblem(post("/room/remove", anas, "{\"identity\":\"ana\"}"), 400);
        assertProblem(post("/room/remove", anas, "{\"identity\":\"nobody\"}"), 404);
        assertProblem(post("/room/remove", anas, "{\"identity\":"), 400);
        assertProblem(post("/room/ban", anas, "{\"identity\":\"bob\"}"), 400);
        assertProblem(post("/room/ban", anas, "{\"identity\":\"bob\",\"until\":\"tomorrow\"}"), 400);
        assertProblem(post("/room/ban", anas, "{\"identity\":\"bob\",\"until\":\"2026-12-01T09:00:00Z\"}"), 400);
        assertProblem(post("/room/ban", anas, "{\"identity\":\"bob\",\"until\":\"2027-12-01T09:00:00Z\"}"), 400);
        assertThat(http.handle(call("GET", "/room/lock", Map.of("Authorization", "Bearer " + anas), null)).status())
                .isEqualTo(405);

        // Bob is neither removed nor banned, and the room is not locked.
        assertThat(login("bob").path("role").asText()).isEqualTo("participant");
        assertThat(login("dave").path("role").asText()).isEqualTo("participant");
    }

    @Test
    void aBannedMemberCannotLogInUntilTheBanAndTheirLastTokenExpire() throws Exception {
        String anas = login("ana").path("token").asText();
        JsonNode bob = login("bob");
        Instant bobsTokenExpires = Instant.parse(bob.path("expires_at").asText());

        HttpReply ban = post("/room/ban", anas, "{\"identity\":\"bob\",\"until\":\"2026-12-01T10:05:00Z\"}");

        assertThat(ban.status()).isEqualTo(200);
        // A token cannot be revoked, so the ban lasts until bob's (one hour) token expires.
        assertThat(json(ban).path("until").asText()).isEqualTo(bobsTokenExpires.toString());
        assertProblem(loginReply("bob"), 403);
        clock.setInstant(bobsTokenExpires.minusSeconds(1));
        assertProblem(loginReply("bob"), 403);
        clock.setInstant(bobsTokenExpires);
        assertThat(loginReply("bob").status()).isEqualTo(200);
    }

    @Test
    void aLockedRoomRefusesNewcomersWith423ButLetsMembersRefresh() throws Exception {
        String anas = login("ana").path("token").asText();
        login("bob");

        assertThat(post("/room/lock", anas, null).status()).isEqualTo(204);

        HttpReply carol = loginReply("carol");
        assertProblem(carol, 423);
        assertThat(json(carol).path("type").asText()).isEqualTo("https://callchat.dev/problems/room-locked");
        assertThat(loginReply("bob").status()).isEqualTo(200);

        assertThat(post("/room/unlock", anas, null).status()).isEqualTo(204);
        assertThat(loginReply("carol").status()).isEqualTo(200);
    }

    @Test
    void removedMemberIsClosedWith4403AndToldWhyAndItsOldTokenNoLongerConnects() throws Exception {
        String anas = login("ana").path("token").asText();
        String bobs = login("bob").path("token").asText();
        FakePeer bob = connect(bobs);
        FakePeer ana = connect(anas);

        assertThat(post("/room/remove", anas, "{\"identity\":\"bob\"}").status()).isEqualTo(204);

        assertThat(bob.closeCode()).isEqualTo(4403);
        assertThat(bob.last("moderated").path("reason").asText()).isEqualTo("removed");
        assertThat(ana.last("left").path("identity").asText()).isEqualTo("bob");
        FakePeer again = connect(bobs);
        assertThat(again.closeCode()).isEqualTo(4403);
        // A fresh login lets a removed (not banned) member back.
        FakePeer back = connect(login("bob").path("token").asText());
        assertThat(back.closeCode()).isZero();
        assertThat(back.last("welcome").path("host").asText()).isEqualTo("ana");
    }

    @Test
    void aBannedTokenIsRefusedAtTheSocket() throws Exception {
        String anas = login("ana").path("token").asText();
        String bobs = login("bob").path("token").asText();
        FakePeer bob = connect(bobs);

        post("/room/ban", anas, "{\"identity\":\"bob\",\"until\":\"2026-12-01T10:05:00Z\"}");

        assertThat(bob.closeCode()).isEqualTo(4403);
        assertThat(bob.last("moderated").path("reason").asText()).isEqualTo("banned");
        assertThat(connect(bobs).closeReason()).isEqualTo("banned");
    }

    @Test
    void endingTheRoomClosesEveryoneWith4410AndOldTokensStayOut() throws Exception {
        String anas = login("ana").path("token").asText();
        String bobs = login("bob").path("token").asText();
        FakePeer ana = connect(anas);
        FakePeer bob = connect(bobs);

        assertThat(post("/room/end", anas, null).status()).isEqualTo(204);

        assertThat(ana.closeCode()).isEqualTo(4410);
        assertThat(bob.closeCode()).isEqualTo(4410);
        assertThat(bob.last("moderated").path("reason").asText()).isEqualTo("ended");
        assertThat(connect(bobs).closeCode()).isEqualTo(4410);
        // The room starts afresh with the next login.
        assertThat(login("bob").path("role").asText()).isEqualTo("host");
    }

    @Test
    void aLockedRoomRefusesANewcomersSocketWith4423() throws Exception {
        String anas = login("ana").path("token").asText();
        FakePeer ana = connect(anas);
        // A valid token this service never issued: another instance with the same secret signed it.
        String carols;
        try (CallSessionService other = service(Authenticator.typedUsername())) {
            carols = other.login(LoginRequest.of("carol", ROOM)).token();
        }

        post("/room/lock", anas, null);

        assertThat(ana.last("room").path("locked").asBoolean()).isTrue();
        FakePeer carol = connect(carols);
        assertThat(carol.closeCode()).isEqualTo(4423);
        assertThat(carol.closeReason()).isEqualTo("room locked");
    }

    @Test
    void whenTheHostLeavesTheLongestPresentMemberHostsAndEveryoneIsTold() throws Exception {
        FakePeer ana = connect(login("ana").path("token").asText());
        clock.add(Duration.ofSeconds(1));
        FakePeer bob = connect(login("bob").path("token").asText());
        clock.add(Duration.ofSeconds(1));
        FakePeer carol = connect(login("carol").path("token").asText());

        ana.closedByBrowser();

        assertThat(bob.last("room").path("host").asText()).isEqualTo("bob");
        assertThat(carol.last("room").path("host").asText()).isEqualTo("bob");
        assertThat(login("carol").path("host").asText()).isEqualTo("bob");
    }

    @Test
    void theHostHandsTheRoleOver() throws Exception {
        String anas = login("ana").path("token").asText();
        JsonNode bob = login("bob");
        FakePeer bobsPage = connect(bob.path("token").asText());

        assertThat(post("/room/host", anas, "{\"identity\":\"bob\"}").status()).isEqualTo(204);

        assertThat(bobsPage.last("room").path("host").asText()).isEqualTo("bob");
        assertProblem(post("/room/lock", anas, null), 403);
        assertThat(post("/room/lock", bob.path("token").asText(), null).status()).isEqualTo(204);
    }

    @Test
    void anAuthenticatorDecidesRolesWithTheIdentity() throws Exception {
        service.close();
        service = service(Authenticator.withRoles(request -> request.username().startsWith("teacher")
                ? AuthenticatedUser.host(request.username()) : AuthenticatedUser.participant(request.username())));
        http = new CallChatHttp(service);

        JsonNode pupil = login("pupil");
        JsonNode teacher = login("teacher");

        assertThat(pupil.path("role").asText()).isEqualTo("participant");
        assertThat(teacher.path("role").asText()).isEqualTo("host");
        assertThat(teacher.path("host").asText()).isEqualTo("teacher");
        assertProblem(post("/room/lock", pupil.path("token").asText(), null), 403);
        assertThat(post("/room/lock", teacher.path("token").asText(), null).status()).isEqualTo(204);
    }

    @Test
    void roomStateIsForgottenOnceNoTokenOrBanCanMatter() throws Exception {
        String anas = login("ana").path("token").asText();
        login("bob");
        post("/room/ban", anas, "{\"identity\":\"bob\",\"until\":\"2026-12-03T10:00:00Z\"}");
        post("/room/lock", anas, null);

        clock.add(Duration.ofDays(2).plusSeconds(1));

        // Nothing is left: the next login finds an empty, unlocked room and hosts it.
        assertThat(login("bob").path("role").asText()).isEqualTo("host");
        service.moderation(); // the service is still usable
        assertThat(service.login(LoginRequest.of("zed", "Elsewhere")).host()).isEqualTo("zed");
    }

    // ---- helpers

    private FakePeer connect(String token) {
        FakePeer peer = FakePeer.inline("peer");
        HubConnection connection = service.localHub().orElseThrow().connect(peer);
        peer.connection = connection;
        connection.onText(HubFixture.auth(token));
        return peer;
    }

    private JsonNode login(String name) throws Exception {
        HttpReply reply = loginReply(name);
        assertThat(reply.status()).as(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return json(reply);
    }

    private HttpReply loginReply(String name) {
        return http.handle(call("POST", "/login", Map.of("Content-Type", "application/json"),
                "{\"username\":\"" + name + "\",\"room\":\"" + ROOM + "\"}"));
    }

    private HttpReply post(String path, String token, String body) {
        Map<String, String> headers = new TreeMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return http.handle(call("POST", path, headers, body));
    }

    private static JsonNode json(HttpReply reply) throws Exception {
        return JSON.readTree(reply.body());
    }

    private static void assertProblem(HttpReply reply, int status) throws Exception {
        assertThat(reply.status()).as(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(reply.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(json(reply).path("status").asInt()).isEqualTo(status);
    }

    /** A request as an adapter presents it to core. */
    private static HttpCall call(String method, String path, Map<String, String> headers, String body) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return new AdapterCall(method, path, byName::get, "192.0.2.1", false,
                BodySource.of(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
    }
}

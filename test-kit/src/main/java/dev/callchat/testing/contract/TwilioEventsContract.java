package dev.callchat.testing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.RoomEvent;
import dev.callchat.core.RoomEvents;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Room events from Twilio ({@code POST /twilio/events}) over real HTTP, for any adapter, end to end: {@link FakeTwilio}
 * sends real signed status callbacks and webhooks when participants connect, leave, are enrolled or write, through a
 * stand-in reverse proxy: the server is configured with a public URL ({@code CALLCHAT_PUBLIC_URL}) that is not its
 * own address, and the fake signs over the public URL, as Twilio signs the URL it calls. Plug in like
 * {@link HttpContract}: extend and implement {@link #start(CallChatHttp)}.
 *
 * <p>No verdict waits for a time window: events are awaited (bounded at 30 s to end a hang), and "delivered once" is
 * read after a later event, since the listener gets events in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TwilioEventsContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What Twilio calls: a proxy's address, which the server never sees in {@code Host}. */
    private static final URI PUBLIC_URL = URI.create("https://calls.example.test/app");
    private static final String EVENTS_URL = PUBLIC_URL + CallChatHttp.TWILIO_EVENTS_PATH;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final FakeTwilio twilio = FakeTwilio.start();
    private final BlockingQueue<RoomEvent> arriving = new LinkedBlockingQueue<>();
    private final List<RoomEvent> seen = new ArrayList<>();
    private CallSessionService service;
    private CallSessionService localService;
    private RunningServer server;
    private RunningServer local;
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
        Map<String, String> env = new HashMap<>(Map.of("CALLCHAT_LOGIN_RATE", "off",
                "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN, "CALLCHAT_PUBLIC_URL", PUBLIC_URL.toString()));
        service = CallSessionService.builder(twilio.config(env)).roomEvents(arriving::add).build();
        server = start(new CallChatHttp(service, HttpContract.TEST_ASSET_ROOT));
        twilio.forward(PUBLIC_URL, server.baseUri());
        localService = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
        local = start(new CallChatHttp(localService, HttpContract.TEST_ASSET_ROOT));
    }

    @AfterAll
    void stopServers() throws Exception {
        try {
            server.close();
            local.close();
        } finally {
            service.close();
            localService.close();
            twilio.close();
        }
    }

    private String room() {
        return "Evented " + (++rooms);
    }

    @Test
    void theFirstLoginCreatesTheVideoRoomWithItsStatusCallbackAndTheChatWithItsWebhook() throws Exception {
        String room = room();
        JsonNode ana = login("ana", room);

        assertThat(twilio.videoStatusCallback(room)).hasValue(EVENTS_URL);
        assertThat(twilio.conversationWebhooks(ana.path("conversation_sid").asText())).singleElement().satisfies(hook -> {
            assertThat(hook.getKey()).isEqualTo(EVENTS_URL);
            assertThat(hook.getValue()).containsExactlyInAnyOrder("onMessageAdded", "onParticipantAdded", "onParticipantRemoved");
        });
        int creates = twilio.calls(FakeTwilio.Route.CREATE_ROOM);
        login("bob", room);
        assertThat(twilio.calls(FakeTwilio.Route.CREATE_ROOM)).as("a room known in progress costs no call").isEqualTo(creates);
    }

    @Test
    void signedCallbacksBecomeRoomEvents() throws Exception {
        String room = room();
        String conversation = login("ana", room).path("conversation_sid").asText();
        await(event -> is(event, RoomEvent.Type.PARTICIPANT_JOINED, room, "ana") && "chat".equals(event.details().get("channel")));

        twilio.connectVideo(room, "ana");
        await(event -> is(event, RoomEvent.Type.PARTICIPANT_JOINED, room, "ana") && !event.details().containsKey("channel"));
        String message = twilio.addMessage(conversation, "ana", "hello there");
        RoomEvent added = await(event -> is(event, RoomEvent.Type.MESSAGE_ADDED, room, "ana"));
        assertThat(added.details()).containsEntry("message_id", message).doesNotContainKey("body");
        twilio.disconnectVideo(room, "ana");
        await(event -> is(event, RoomEvent.Type.PARTICIPANT_LEFT, room, "ana"));

        assertThat(twilio.awaitCallbacks().deliveries()).allSatisfy(d -> assertThat(d.status()).isEqualTo(204));
    }

    @Test
    void aMissingOrWrongSignatureIs403() throws Exception {
        Map<String, String> params = videoCallback(room(), "mallory", "RM" + "f".repeat(32), 0);

        assertProblem(callback(params, null), 403);
        assertProblem(callback(params, "bm90IGEgc2lnbmF0dXJl"), 403);
        assertProblem(callback(params, FakeTwilio.signature("not-the-auth-token", EVENTS_URL, params)), 403);
        // Behind a proxy: a signature over the address the server saw is not Twilio's.
        assertProblem(callback(params, FakeTwilio.signature(FakeTwilio.AUTH_TOKEN,
                server.uri(CallChatHttp.TWILIO_EVENTS_PATH).toString(), params)), 403);
        assertThat(seen()).noneMatch(event -> "mallory".equals(event.participant()));

        assertThat(callback(params, FakeTwilio.signature(FakeTwilio.AUTH_TOKEN, EVENTS_URL, params)).statusCode())
                .isEqualTo(204);
    }

    @Test
    void aReplayedCallbackIsDeliveredOnce() throws Exception {
        String room = room();
        login("ana", room);
        twilio.connectVideo(room, "ana");
        await(event -> is(event, RoomEvent.Type.PARTICIPANT_JOINED, room, "ana") && !event.details().containsKey("channel"));
        FakeTwilio.Delivery connected = twilio.awaitCallbacks().deliveries().stream()
                .filter(d -> room.equals(d.params().get("RoomName"))
                        && "participant-connected".equals(d.params().get("StatusCallbackEvent")))
                .findFirst().orElseThrow();

        assertThat(twilio.replay(connected, true)).as("Twilio's retry, same idempotency token").isEqualTo(204);
        assertThat(twilio.replay(connected, false)).as("a replay without the token: same room and sequence").isEqualTo(204);
        twilio.disconnectVideo(room, "ana");
        await(event -> is(event, RoomEvent.Type.PARTICIPANT_LEFT, room, "ana"));

        assertThat(seen()).filteredOn(event -> is(event, RoomEvent.Type.PARTICIPANT_JOINED, room, "ana")
                && !event.details().containsKey("channel")).hasSize(1);
    }

    @Test
    void aBannedIdentityThatReconnectsIsRemovedAgain() throws Exception {
        String room = room();
        String ana = login("ana", room).path("token").asText();
        login("bob", room);
        twilio.connectVideo(room, "ana");
        twilio.connectVideo(room, "bob");
        await(event -> is(event, RoomEvent.Type.PARTICIPANT_JOINED, room, "bob") && !event.details().containsKey("channel"));

        HttpResponse<byte[]> banned = post("/room/ban", ana, "{\"identity\":\"bob\",\"until\":\""
                + Instant.now().plus(Duration.ofMinutes(5)) + "\"}");
        assertThat(banned.statusCode()).as(new String(banned.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(twilio.videoParticipants(room)).doesNotContain("bob");

        // bob's browser still holds a valid token (it cannot be revoked) and connects again.
        twilio.connectVideo(room, "bob");

        awaitTrue(() -> !twilio.videoParticipants(room).contains("bob"), "bob removed from the video again");
        assertThat(twilio.videoParticipants(room)).contains("ana");
        assertThat(twilio.calls(FakeTwilio.Route.UPDATE_ROOM_PARTICIPANT)).isEqualTo(2);
    }

    @Test
    void theRouteIs404InLocalMode() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(local.uri(CallChatHttp.TWILIO_EVENTS_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("RoomName=x")).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertProblem(response, 404);
    }

    // ---- helpers

    private static boolean is(RoomEvent event, RoomEvent.Type type, String room, String participant) {
        return event.type() == type && event.room().equals(room) && participant.equals(event.participant());
    }

    private static Map<String, String> videoCallback(String room, String identity, String roomSid, int sequence) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", FakeTwilio.ACCOUNT_SID);
        params.put("RoomName", room);
        params.put("RoomSid", roomSid);
        params.put("StatusCallbackEvent", "participant-connected");
        params.put("SequenceNumber", String.valueOf(sequence));
        params.put("ParticipantIdentity", identity);
        params.put("ParticipantSid", "PA" + "e".repeat(32));
        return params;
    }

    private HttpResponse<byte[]> callback(Map<String, String> params, String signature) throws Exception {
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(CallChatHttp.TWILIO_EVENTS_PATH)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits for the first event (seen before or arriving) matching; the listener gets events in order. */
    private synchronized RoomEvent await(Predicate<RoomEvent> wanted) throws InterruptedException {
        for (RoomEvent event : seen) {
            if (wanted.test(event)) {
                return event;
            }
        }
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RoomEvent event = arriving.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching room event within " + TIMEOUT + "; saw " + seen);
            }
            seen.add(event);
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    private synchronized List<RoomEvent> seen() {
        arriving.drainTo(seen);
        return List.copyOf(seen);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + TIMEOUT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    private JsonNode login(String name, String room) throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(server.uri("/login")).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"room\":\"" + room + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<byte[]> post(String path, String token, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status) throws Exception {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(status);
    }
}

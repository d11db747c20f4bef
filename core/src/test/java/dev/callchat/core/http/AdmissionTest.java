package dev.callchat.core.http;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.spi.HubPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What an adapter that reads bodies ahead does with each request, decided by its head, and its Tomcat-style refusals. */
class AdmissionTest {
    // The default body deadline (10 s) only bounds a hang: a test feeding a body must not race it on a busy machine.
    private final CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
    private final CallChatHttp http = new CallChatHttp(service);
    private final InFlight inFlight = new InFlight(http);

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void aRequestWithoutBodyIsAnsweredAtOnceAndGivesItsCountBack() {
        Admission admission = Admission.of(http, inFlight, call("GET", "/health/live", Map.of()), -1);

        assertThat(admission.answer()).hasValueSatisfying(reply -> assertThat(reply.status()).isEqualTo(200));
        assertThat(inFlight.drain(Duration.ZERO)).as("nothing left in flight").isTrue();
    }

    @Test
    void aBodyTooLargeByItsHeaderIsRefusedUnread() {
        Admission admission = Admission.of(http, inFlight, call("POST", "/login",
                Map.of("Content-Type", "application/json")), 5000);

        assertThat(admission.answer()).hasValueSatisfying(reply -> assertThat(reply.status()).isEqualTo(413));
        assertThat(inFlight.drain(Duration.ZERO)).isTrue();
    }

    @Test
    void whileDrainingNewcomersGet503() {
        inFlight.drain(Duration.ZERO);

        Admission admission = Admission.of(http, inFlight, call("POST", "/login", Map.of()), 10);

        assertThat(admission.answer()).hasValueSatisfying(reply -> assertThat(reply.status()).isEqualTo(503));
    }

    @Test
    void anAdmittedBodyIsAnsweredOnceItIsInThenTheCountIsGivenBack() throws Exception {
        byte[] login = "{\"username\":\"ana\",\"room\":\"Room\"}".getBytes(StandardCharsets.UTF_8);
        Admission admission = Admission.of(http, inFlight, call("POST", "/login",
                Map.of("Content-Type", "application/json")), login.length);
        CompletableFuture<HttpReply> written = new CompletableFuture<>();
        admission.whenReplied(written::complete);

        assertThat(admission.answer()).isEmpty();
        assertThat(inFlight.drain(Duration.ZERO)).as("the request is in flight while its body arrives").isFalse();
        admission.body().append(login, 0, login.length);
        admission.body().end();

        assertThat(written.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(inFlight.drain(Duration.ofSeconds(60))).as("given back right after the writer").isTrue();
    }

    @Test
    void aBodyThatMissesItsDeadlineGets400AndClosesTheConnection() throws Exception {
        // A body that never completes: whenever its 100 ms deadline fires, the verdict is the same.
        try (CallSessionService hasty = CallSessionService.create(Config.from(Map.of(
                "CALLCHAT_LOGIN_RATE", "off", "CALLCHAT_BODY_DEADLINE", "100ms")))) {
            CallChatHttp http = new CallChatHttp(hasty);
            InFlight inFlight = new InFlight(http);
            Admission admission = Admission.of(http, inFlight, call("POST", "/login",
                    Map.of("Content-Type", "application/json")), 400);
            CompletableFuture<HttpReply> written = new CompletableFuture<>();
            admission.whenReplied(written::complete);
            admission.body().append(new byte[]{'{'}, 0, 1);

            // 60 s only bounds a hang: the deadline is 100 ms.
            HttpReply reply = written.get(60, TimeUnit.SECONDS);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.headers()).containsEntry("Connection", "close");
            admission.body().end(); // too late: settles nothing, answers nothing more
            assertThat(admission.body().done().isCancelled()).isTrue();
            assertThat(inFlight.drain(Duration.ofSeconds(60))).as("given back right after the writer").isTrue();
        }
    }

    @Test
    void uploadsBeyondTheSlotsGet503AndCloseTheConnection() {
        for (int i = 0; i < InFlight.UPLOAD_SLOTS; i++) {
            assertThat(inFlight.enterUpload()).isEmpty();
        }

        Admission admission = Admission.of(http, inFlight, call("POST", CallChatHttp.LOCAL_FILES_PATH,
                Map.of("Authorization", "Bearer " + memberToken())), 10);

        assertThat(admission.answer()).hasValueSatisfying(reply -> {
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.headers()).containsEntry("Connection", "close");
        });
        assertThat(inFlight.drain(Duration.ZERO)).isTrue();
    }

    @Test
    void anUploadWithoutAMembersTokenIsRefusedUnreadAndTakesNoSlot() {
        Admission admission = Admission.of(http, inFlight, call("POST", CallChatHttp.LOCAL_FILES_PATH,
                Map.of("Authorization", "Bearer not-a-token")), 1_000_000);

        assertThat(admission.answer()).hasValueSatisfying(reply -> {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.headers()).containsEntry("Connection", "close");
        });
        assertThat(inFlight.drain(Duration.ZERO)).isTrue();
        for (int i = 0; i < InFlight.UPLOAD_SLOTS; i++) {
            assertThat(inFlight.enterUpload()).as("slot " + i + " is free").isEmpty();
        }
    }

    /** A member's token: logged in and connected to the room's hub in-process (uploads are for members only). */
    private String memberToken() {
        String token = service.login(LoginRequest.of("ana", "Room")).token();
        service.localHub().orElseThrow().connect(HubPeer.of((frame, onDone) -> onDone.accept(null), (code, reason) -> { }))
                .onText("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        return token;
    }

    @Test
    void finishingTwiceGivesTheCountsBackOnce() {
        Admission admission = Admission.of(http, inFlight, call("POST", "/login", Map.of()), 10);
        assertThat(inFlight.enter()).isEmpty(); // a second request, still in flight

        admission.finish();
        admission.finish();

        assertThat(inFlight.drain(Duration.ZERO)).as("the second request is still counted").isFalse();
    }

    @Test
    void aServersOwnRefusalsBecomeProblemsAndAnUnknownCodingIs400() {
        assertThat(Framing.serverProblem(http, 501, "gzip").status()).isEqualTo(400);
        assertThat(new String(Framing.serverProblem(http, 501, "gzip").body(), StandardCharsets.UTF_8))
                .contains(Framing.UNKNOWN_LENGTH);
        assertThat(Framing.serverProblem(http, 501, null)).isEqualTo(http.problem(501));
        HttpReply badLine = Framing.serverProblem(http, 400, null);
        assertThat(badLine.status()).isEqualTo(400);
        assertThat(badLine.contentType()).contains("application/problem+json");
    }

    @Test
    void aMountedGatePassesOnTheApplicationsPathsRedirectsTheMountAndAdmitsBelowIt() {
        Gate gate = new Gate(http, "/video/");

        assertThat(gate.mount()).isEqualTo("/video");
        assertThat(gate.admit(call("GET", "/hello", Map.of()), "", null, -1).passOn()).isTrue();
        assertThat(gate.admit(call("GET", "/videos", Map.of()), "", null, -1).passOn()).isTrue();
        HttpReply redirect = gate.admit(call("GET", "/video", Map.of()), "/app", "a=1", -1).answer().orElseThrow();
        assertThat(redirect.headers()).containsEntry("Location", "/app/video/?a=1");
        Admission health = gate.admit(call("GET", "/video/health/live", Map.of()), "/app", null, -1);
        assertThat(health.passOn()).isFalse();
        assertThat(health.answer()).hasValueSatisfying(reply -> assertThat(reply.status()).isEqualTo(200));
    }

    @Test
    void aLocalSocketUpgradeIsLeftToTheFrameworkUnlessCoresOriginRuleRefusesIt() {
        Gate gate = new Gate(http, "");
        Map<String, String> sameOrigin = Map.of("Upgrade", "websocket", "Host", "localhost:8080",
                "Origin", "http://localhost:8080");
        Map<String, String> foreign = Map.of("Upgrade", "websocket", "Host", "localhost:8080",
                "Origin", "https://evil.example");

        assertThat(gate.admit(call("GET", CallChatHttp.LOCAL_WS_PATH, sameOrigin), "", null, -1).passOn()).isTrue();
        Admission refused = gate.admit(call("GET", CallChatHttp.LOCAL_WS_PATH, foreign), "", null, -1);
        assertThat(refused.passOn()).isFalse();
        assertThat(refused.answer()).hasValueSatisfying(reply -> assertThat(reply.status()).isEqualTo(403));
    }

    @Test
    void readAvailableStopsAtTheEndOrPastTheLimit() throws Exception {
        byte[] login = "{\"username\":\"ana\",\"room\":\"Room\"}".getBytes(StandardCharsets.UTF_8);
        Admission admission = Admission.of(http, inFlight, call("POST", "/login",
                Map.of("Content-Type", "application/json")), login.length);
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(login);

        admission.readAvailable(() -> true, in::read);
        admission.body().end();

        assertThat(admission.body().done().get(60, TimeUnit.SECONDS).read(login.length)).isEqualTo(login);

        Admission tooLarge = Admission.of(http, inFlight, call("POST", "/login",
                Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked")), -1);
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        tooLarge.readAvailable(() -> true, endless::read);
        assertThat(tooLarge.body().done().get(60, TimeUnit.SECONDS).read(CallChatHttp.MAX_BODY_BYTES + 1))
                .as("one byte past the limit, then no more read").hasSize(CallChatHttp.MAX_BODY_BYTES + 1);
    }

    private static AdapterCall call(String method, String path, Map<String, String> headers) {
        return new AdapterCall(method, path, headers::get, "127.0.0.1", false, BodySource.none());
    }
}

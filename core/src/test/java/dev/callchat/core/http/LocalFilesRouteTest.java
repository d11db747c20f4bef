package dev.callchat.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.local.LocalProvider;
import dev.callchat.core.spi.HubConnection;
import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.Provider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared-file routes through {@link CallChatHttp}, with an in-memory request. */
class LocalFilesRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallSessionService service = generous(Config.from(Map.of("CALLCHAT_MAX_UPLOAD", "2KB")));
    private final CallChatHttp http = new CallChatHttp(service);

    /**
     * The hub's default 5 s auth deadline runs on the wall clock; on a saturated machine a member was
     * dropped before its upload (403). A deadline of a minute only bounds a hang.
     */
    private static CallSessionService generous(Config config) {
        dev.callchat.core.local.HubLimits d = dev.callchat.core.local.HubLimits.defaults();
        dev.callchat.core.local.HubLimits limits = new dev.callchat.core.local.HubLimits(java.time.Duration.ofMinutes(1),
                d.maxFrameChars(), d.maxChatChars(), d.messagesPerSecond(), d.messageBurst(), d.floodStrikes(),
                d.historySize(), d.historyPageSize(), d.maxVideoMembers(), d.outboundQueueFrames(), d.typingInterval());
        return CallSessionService.builder(config).provider(LocalProvider.create(config, Clock.systemUTC(), limits)).build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    /** An HttpCall over a byte array that counts how much of the body was read. */
    private static final class Call implements HttpCall {
        final String method;
        final String path;
        final Map<String, String> headers = new HashMap<>();
        final byte[] body;
        final AtomicInteger bodyReads = new AtomicInteger();

        Call(String method, String path, byte[] body) {
            this.method = method;
            this.path = path;
            this.body = body;
        }

        Call header(String name, String value) {
            headers.put(name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String rawPath() {
            return path;
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public byte[] body() throws BodyTooLargeException {
            return body(CallChatHttp.MAX_BODY_BYTES);
        }

        @Override
        public byte[] body(int maxBytes) throws BodyTooLargeException {
            bodyReads.incrementAndGet();
            return HttpCall.readLimited(body.length, new ByteArrayInputStream(body), maxBytes);
        }
    }

    private String login(String user, String room) {
        return service.login(LoginRequest.of(user, room)).token();
    }

    /** Opens a hub connection, as the browser's WebSocket would. */
    private HubConnection connect(String token) {
        HubConnection connection = service.localHub().orElseThrow().connect(new HubPeer() {
            @Override
            public void sendText(String frame, Consumer<Throwable> onDone) {
                onDone.accept(null);
            }

            @Override
            public void close(int code, String reason) {
            }
        });
        connection.onText("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        return connection;
    }

    private HttpReply upload(String token, String name, byte[] content) {
        Call call = new Call("POST", "/local/files", content).header("X-File-Name", name);
        if (token != null) {
            call.header("Authorization", "Bearer " + token);
        }
        return http.handle(call);
    }

    private static JsonNode json(HttpReply reply) throws Exception {
        return JSON.readTree(reply.body());
    }

    @Test
    void aMemberUploadsAndAnotherMemberDownloadsTheSameBytes() throws Exception {
        String ana = login("ana", "Room");
        connect(ana);
        byte[] pdf = "%PDF-1.4\nhello".getBytes(StandardCharsets.US_ASCII);

        HttpReply created = upload(ana, "r%C3%A9sum%C3%A9.pdf", pdf);
        String id = json(created).path("id").asText();
        HttpReply fetched = http.handle(new Call("GET", "/local/files/" + id, new byte[0])
                .header("Authorization", "Bearer " + login("bob", "Room")));

        assertThat(created.status()).isEqualTo(201);
        assertThat(json(created).path("name").asText()).isEqualTo("résumé.pdf");
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(pdf);
        assertThat(fetched.headers())
                .containsEntry("Content-Type", "application/pdf")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Content-Disposition", "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    }

    @Test
    void imagesAreServedInline() throws Exception {
        String ana = login("ana", "Room");
        connect(ana);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};

        String id = json(upload(ana, "cat.png", png)).path("id").asText();
        HttpReply fetched = http.handle(new Call("GET", "/local/files/" + id, new byte[0]).header("Authorization", "Bearer " + ana));

        assertThat(fetched.headers()).containsEntry("Content-Type", "image/png")
                .containsEntry("Content-Disposition", "inline; filename=\"cat.png\"; filename*=UTF-8''cat.png");
    }

    @Test
    void aMemberOfAnotherRoomGetsAForbiddenProblem() throws Exception {
        String ana = login("ana", "Room");
        connect(ana);
        String id = json(upload(ana, "a.txt", "hello".getBytes(StandardCharsets.UTF_8))).path("id").asText();

        HttpReply reply = http.handle(new Call("GET", "/local/files/" + id, new byte[0])
                .header("Authorization", "Bearer " + login("mallory", "Elsewhere")));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.contentType()).contains("application/problem+json");
        assertThat(json(reply).path("type").asText()).endsWith("/forbidden");
    }

    @Test
    void noTokenIsAnUnauthorizedProblemWithABearerChallengeAndTheBodyIsNeverRead() throws Exception {
        Call call = new Call("POST", "/local/files", "hello".getBytes(StandardCharsets.UTF_8));

        HttpReply reply = http.handle(call);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"callchat-local\"");
        assertThat(json(reply).path("status").asInt()).isEqualTo(401);
        assertThat(call.bodyReads).hasValue(0);
    }

    @Test
    void aDownloadWithoutATokenIsUnauthorized() {
        HttpReply reply = http.handle(new Call("GET", "/local/files/" + "0".repeat(32), new byte[0]));

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void anOversizedUploadIsAPayloadTooLargeProblem() throws Exception {
        String ana = login("ana", "Room");
        connect(ana);
        byte[] big = new byte[2049];
        Arrays.fill(big, (byte) 'a');

        HttpReply reply = upload(ana, "big.txt", big);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(json(reply).path("detail").asText()).contains("2048 bytes");
    }

    @Test
    void uploadsLargerThanTheLoginLimitButUnderTheUploadLimitAreAccepted() {
        CallSessionService roomy = CallSessionService.create(Config.from(Map.of("CALLCHAT_MAX_UPLOAD", "64KB")));
        try {
            CallChatHttp roomyHttp = new CallChatHttp(roomy);
            String bob = roomy.login(LoginRequest.of("bob", "Room")).token();
            HubConnection ignored = roomy.localHub().orElseThrow().connect(new HubPeer() {
                @Override
                public void sendText(String frame, Consumer<Throwable> onDone) {
                    onDone.accept(null);
                }

                @Override
                public void close(int code, String reason) {
                }
            });
            ignored.onText("{\"type\":\"auth\",\"token\":\"" + bob + "\"}");
            byte[] large = new byte[40_000];
            Arrays.fill(large, (byte) 'b');

            HttpReply reply = roomyHttp.handle(new Call("POST", "/local/files", large).header("Authorization", "Bearer " + bob));

            assertThat(reply.status()).isEqualTo(201);
            assertThat(roomyHttp.maxBodyBytes("/local/files")).isEqualTo(64 * 1024);
            assertThat(roomyHttp.maxBodyBytes("/login")).isEqualTo(CallChatHttp.MAX_BODY_BYTES);
        } finally {
            roomy.close();
        }
    }

    @Test
    void aDisallowedTypeIsAnUnsupportedMediaTypeProblem() throws Exception {
        String ana = login("ana", "Room");
        connect(ana);

        HttpReply reply = upload(ana, "harmless.png", new byte[] {'M', 'Z', 0, 0, 1});

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.contentType()).contains("application/problem+json");
    }

    @Test
    void aMalformedFileNameHeaderIsABadRequest() {
        String ana = login("ana", "Room");
        connect(ana);

        assertThat(upload(ana, "%zz", "hi".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(upload(ana, "%C3", "hi".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
    }

    @Test
    void wrongMethodsAreRefusedWithAllow() {
        assertThat(http.handle(new Call("GET", "/local/files", new byte[0])).headers()).containsEntry("Allow", "POST");
        assertThat(http.handle(new Call("DELETE", "/local/files/" + "0".repeat(32), new byte[0])).status()).isEqualTo(405);
    }

    @Test
    void theRoutesDoNotExistWithoutARoomHub() {
        // As in twilio mode: a provider without a hub of ours has no file routes.
        Provider local = LocalProvider.create(Config.defaults(), Clock.systemUTC());
        Provider hubless = new Provider("hubless", local.chatrooms(), local.roster(), local.tokens(), Optional.empty(),
                local.resources());
        try (CallSessionService service = CallSessionService.builder(Config.defaults()).provider(hubless).build()) {
            CallChatHttp hublessHttp = new CallChatHttp(service);

            assertThat(hublessHttp.handle(new Call("POST", "/local/files", new byte[0])).status()).isEqualTo(404);
            assertThat(hublessHttp.handle(new Call("GET", "/local/files/" + "0".repeat(32), new byte[0])).status()).isEqualTo(404);
            assertThat(hublessHttp.maxBodyBytes("/local/files")).isEqualTo(CallChatHttp.MAX_BODY_BYTES);
        }
    }
}

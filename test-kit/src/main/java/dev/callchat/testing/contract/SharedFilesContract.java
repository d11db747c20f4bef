package dev.callchat.testing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.InFlight;
import dev.callchat.core.spi.HubPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local provider's shared-file routes ({@code POST /local/files}, {@code GET /local/files/{id}})
 * over real HTTP, for any adapter: above all that the adapter passes bodies up to the upload limit on
 * that one route while logins stay capped at {@link CallChatHttp#MAX_BODY_BYTES}. Plug in like
 * {@link HttpContract}: extend and implement {@link #start(CallChatHttp)}.
 */
public abstract class SharedFilesContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_UPLOAD = 1024 * 1024;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private CallSessionService service;
    private RunningServer server;

    /**
     * Starts the adapter's server on a free port of 127.0.0.1, serving exactly {@code http} at its root.
     *
     * @param http the contract implementation to serve
     * @return the running server; the suite closes it
     */
    protected abstract RunningServer start(CallChatHttp http);

    @BeforeEach
    void startServer() {
        service = CallSessionService.create(Config.from(Map.of("CALLCHAT_MAX_UPLOAD", "1MB", "CALLCHAT_LOGIN_RATE", "off")));
        server = start(new CallChatHttp(service, HttpContract.TEST_ASSET_ROOT));
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        service.close();
    }

    /** Logs in and opens a hub connection in-process (membership is what the routes check, not the socket). */
    private String member(String identity, String room) {
        String token = service.login(LoginRequest.of(identity, room)).token();
        service.localHub().orElseThrow().connect(new HubPeer() {
            @Override
            public void sendText(String frame, Consumer<Throwable> onDone) {
                onDone.accept(null);
            }

            @Override
            public void close(int code, String reason) {
            }
        }).onText("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        return token;
    }

    private static byte[] text(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder upload(String token, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri("/local/files"))
                .header("X-File-Name", "notes.txt")
                .header("Content-Type", "application/octet-stream")
                .POST(body);
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    @Test
    void aFileLargerThanTheLoginLimitUploadsAndDownloadsIntact() throws Exception {
        String ana = member("ana", "Room");
        String bob = member("bob", "Room");
        byte[] content = text(MAX_UPLOAD);

        HttpResponse<byte[]> created = send(upload(ana, HttpRequest.BodyPublishers.ofByteArray(content)));
        String id = JSON.readTree(created.body()).path("id").asText();
        HttpResponse<byte[]> fetched = send(HttpRequest.newBuilder(server.uri("/local/files/" + id))
                .header("Authorization", "Bearer " + bob).GET());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(fetched.body(), content)).isTrue();
        assertThat(fetched.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
        assertThat(fetched.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void aStreamedUploadIsAcceptedToo() throws Exception {
        String ana = member("ana", "Room");
        byte[] content = text(200_000);

        HttpResponse<byte[]> created = send(upload(ana, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content))));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("size").asLong()).isEqualTo(200_000);
    }

    @Test
    void aDeclaredOversizedUploadIsAPayloadTooLargeProblem() throws Exception {
        String ana = member("ana", "Room");

        HttpResponse<byte[]> reply = send(upload(ana, HttpRequest.BodyPublishers.ofByteArray(text(MAX_UPLOAD + 1))));

        assertThat(reply.statusCode()).isEqualTo(413);
        assertThat(reply.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void uploadsRefusedByTheirDeclaredSizeDoNotUseUpTheUploadSlots() throws Exception {
        String ana = member("ana", "Room");
        byte[] oversized = text(MAX_UPLOAD + 1);

        for (int i = 0; i < InFlight.UPLOAD_SLOTS + 4; i++) {
            assertThat(send(upload(ana, HttpRequest.BodyPublishers.ofByteArray(oversized))).statusCode()).as("upload " + i)
                    .isEqualTo(413);
        }
        HttpResponse<byte[]> created = send(upload(ana, HttpRequest.BodyPublishers.ofByteArray(text(1_000))));

        assertThat(created.statusCode()).as(new String(created.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    }

    @Test
    void aStreamedOversizedUploadIsAPayloadTooLargeProblemAndLeavesNothing() throws Exception {
        String ana = member("ana", "Room");
        byte[] content = text(MAX_UPLOAD + 1);

        HttpResponse<byte[]> reply = send(upload(ana, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content))));

        assertThat(reply.statusCode()).isEqualTo(413);
        assertThat(reply.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void loginsStayCappedAtTheLoginLimit() throws Exception {
        String padded = "{\"username\":\"ana\",\"pad\":\"" + "x".repeat(CallChatHttp.MAX_BODY_BYTES) + "\"}";

        HttpResponse<byte[]> reply = send(HttpRequest.newBuilder(server.uri("/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(padded)));

        assertThat(reply.statusCode()).isEqualTo(413);
    }

    @Test
    void anUnauthenticatedUploadIsAnUnauthorizedProblem() throws Exception {
        HttpResponse<byte[]> reply = send(upload(null, HttpRequest.BodyPublishers.ofByteArray(text(100))));

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void anUnauthenticatedUploadIsRefusedFromItsHeadersBeforeItsBodyArrives() throws Exception {
        // The headers and the first KiB of a 1 MB upload, then nothing more: a server that waited for (and held) the
        // body it will refuse would answer only at the body deadline, with 400, after RawHttp's 10 s bound.
        RawHttp.Response reply = RawHttp.exchange(server.uri("/"), new RawHttp.Request("POST", "/local/files",
                List.of("Host: 127.0.0.1", "Content-Type: application/octet-stream", "Content-Length: " + MAX_UPLOAD,
                        "Authorization: Bearer not-a-token"), List.of(text(1024)), false)).orElseThrow();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void aMemberOfAnotherRoomIsForbidden() throws Exception {
        String ana = member("ana", "Room");
        String id = JSON.readTree(send(upload(ana, HttpRequest.BodyPublishers.ofByteArray(text(100)))).body()).path("id").asText();
        String mallory = member("mallory", "Elsewhere");

        HttpResponse<byte[]> reply = send(HttpRequest.newBuilder(server.uri("/local/files/" + id))
                .header("Authorization", "Bearer " + mallory).GET());

        JsonNode problem = JSON.readTree(reply.body());
        assertThat(reply.statusCode()).isEqualTo(403);
        assertThat(problem.path("status").asInt()).isEqualTo(403);
    }
}

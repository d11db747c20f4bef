package dev.callchat.testing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.local.HubLimits;
import dev.callchat.core.local.LocalProvider;
import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract (see {@code docs/architecture.md}), over real HTTP, for any adapter. An adapter module
 * plugs in by extending this class and implementing {@link #start(CallChatHttp)}:
 *
 * <pre>{@code
 * class UndertowContractTest extends HttpContract {
 *     protected RunningServer start(CallChatHttp http) {
 *         var server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), http);
 *         return new RunningServer(server.baseUri(), server);
 *     }
 * }
 * }</pre>
 *
 * The suite builds each {@link CallChatHttp} itself (its service, configuration and a test asset
 * root), so the adapter only has to serve it: translate requests, write replies, and bridge
 * {@code /local/ws} to {@code http.service().localHub()} when {@link CallChatHttp#localWebSocketEnabled()}.
 * Everything runs twice, in twilio mode and in local mode.
 */
public abstract class HttpContract {
    /** The classpath folder of the small web client this suite serves instead of the real one. */
    protected static final String TEST_ASSET_ROOT = "dev/callchat/testing/contract/assets/";

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob: mediastream:; connect-src 'self' https://*.twilio.com wss://*.twilio.com; "
            + "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
    /** The TURN secret of the ICE tests; {@link LogHygieneContract} scans for it. */
    static final String TURN_SECRET = "contract-suite-turn-secret-0123";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    /**
     * Starts the adapter's server on a free port of 127.0.0.1, serving exactly {@code http} at its root.
     *
     * @param http the contract implementation to serve
     * @return the running server; the suite closes it
     * @throws Exception when the server cannot start
     */
    protected abstract RunningServer start(CallChatHttp http) throws Exception;

    /** What differs between the two modes: how a service is built. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract class Contract {
        RunningServer server;

        /** @return the provider name the mode reports */
        abstract String providerName();

        /**
         * @param env configuration variables on top of the mode's own
         * @return a fresh service for one server
         */
        abstract CallSessionService service(Map<String, String> env);

        RunningServer startWith(Map<String, String> env) throws Exception {
            CallSessionService service = service(env);
            RunningServer running = start(new CallChatHttp(service, TEST_ASSET_ROOT));
            return new RunningServer(running.baseUri(), () -> {
                try {
                    running.close();
                } finally {
                    service.close();
                }
            });
        }

        @BeforeAll
        void startServer() throws Exception {
            server = startWith(Map.of("CALLCHAT_LOGIN_RATE", "off"));
        }

        @AfterAll
        void stopServer() throws Exception {
            if (server != null) {
                server.close();
            }
        }

        // ---- login ----

        @Test
        void loginAnswers200WithExactlyTheEightSnakeCaseFields() throws Exception {
            RawHttp.Response response = login(server, "{\"username\":\"ana\",\"room\":\"My Room\"}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(mediaType(response)).isEqualTo("application/json");
            List<String> fields = new ArrayList<>();
            json(response).fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("token", "conversation_sid", "room", "identity", "expires_at",
                    "chat", "chat_status", "provider", "ice_servers", "role", "host");
        }

        @Test
        void loginFieldsHaveTheDocumentedTypesAndValues() throws Exception {
            JsonNode body = json(login(server, "{\"username\":\"ana\",\"room\":\"My Room\"}"));

            assertThat(body.get("token").isTextual()).isTrue();
            assertThat(body.get("token").textValue()).isNotBlank();
            assertThat(body.get("conversation_sid").isTextual() || body.get("conversation_sid").isNull()).isTrue();
            assertThat(body.get("room").textValue()).isEqualTo("My Room");
            assertThat(body.get("identity").textValue()).isEqualTo("ana");
            assertThat(body.get("chat").isBoolean()).isTrue();
            assertThat(body.get("chat_status").textValue()).isIn("ready", "pending", "unavailable");
            assertThat(body.get("chat_status").textValue().equals("unavailable")).isEqualTo(!body.get("chat").booleanValue());
            assertThat(body.get("provider").textValue()).isEqualTo(providerName());
            assertThat(body.get("ice_servers").isArray()).isTrue();
            assertThat(body.get("ice_servers")).isEmpty();
        }

        @Test
        void expiresAtIsAnIso8601UtcInstantInTheFuture() throws Exception {
            String expiresAt = json(login(server, "{\"username\":\"ana\"}")).get("expires_at").textValue();

            assertThat(expiresAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
            assertThat(Instant.parse(expiresAt)).isAfter(Instant.now());
        }

        @Test
        void loginWithoutRoomJoinsTheConfiguredDefaultRoom() throws Exception {
            JsonNode body = json(login(server, "{\"username\":\"ana\"}"));

            assertThat(body.get("room").textValue()).isEqualTo("Contract Room");
        }

        @Test
        void apiLoginIsTheSameEndpointAsLogin() throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/api/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"bob\"}")));

            assertThat(response.status()).isEqualTo(200);
            assertThat(json(response).get("identity").textValue()).isEqualTo("bob");
        }

        @Test
        void loginResponseIsNeverCached() throws Exception {
            RawHttp.Response response = login(server, "{\"username\":\"ana\"}");

            assertThat(response.header("Cache-Control")).hasValue("no-store");
        }

        @Test
        void emojiUsernameIsAccepted() throws Exception {
            RawHttp.Response response = login(server, "{\"username\":\"ana \uD83C\uDF89\"}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(json(response).get("identity").textValue()).isEqualTo("ana \uD83C\uDF89");
        }

        @Test
        void unknownFieldsAreIgnored() throws Exception {
            RawHttp.Response response = login(server, "{\"username\":\"ana\",\"avatar\":{\"x\":[1,2]},\"admin\":true}");

            assertThat(response.status()).isEqualTo(200);
        }

        @Test
        void usernameIsTrimmedAndNormalized() throws Exception {
            // "e" + combining acute accent becomes the single NFC code point é.
            JsonNode body = json(login(server, "{\"username\":\"  Jose\u0301  \"}"));

            assertThat(body.get("identity").textValue()).isEqualTo("Jos\u00e9");
        }

        @Test
        void namesThatLookAlikeAreOneIdentity() throws Exception {
            for (String lookalike : List.of("ana\\u200B", "\\u200Ban\\u00ADa", "\\uFEFFana\\u2060", "ana\\u200E", "\\u00A0ana\\u3164")) {
                JsonNode body = json(login(server, "{\"username\":\"" + lookalike + "\"}"));

                assertThat(body.get("identity").textValue()).as(lookalike).isEqualTo("ana");
            }
            assertThat(json(login(server, "{\"username\":\"ana\\u00A0\\u2800bob\"}")).get("identity").textValue())
                    .isEqualTo("ana bob");
        }

        @Test
        void jsonWithCharsetUtf8ParameterIsAccepted() throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/login"))
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")));

            assertThat(response.status()).isEqualTo(200);
        }

        @Test
        void chunkedBodyWithinTheLimitIsAccepted() throws Exception {
            byte[] body = "{\"username\":\"ana\"}".getBytes(StandardCharsets.UTF_8);
            RawHttp.Request request = new RawHttp.Request("POST", "/login",
                    List.of("Host: localhost", "Content-Type: application/json", "Transfer-Encoding: chunked", "Connection: close"),
                    List.of((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), body,
                            "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), false);

            assertThat(raw(server, request).status()).isEqualTo(200);
        }

        @Test
        void bodyOfExactly4096BytesIsAccepted() throws Exception {
            String prefix = "{\"username\":\"ana\",\"pad\":\"";
            String body = prefix + "x".repeat(CallChatHttp.MAX_BODY_BYTES - prefix.length() - 2) + "\"}";

            RawHttp.Response response = login(server, body);

            assertThat(body.length()).isEqualTo(CallChatHttp.MAX_BODY_BYTES);
            assertThat(response.status()).isEqualTo(200);
        }

        @Test
        void bodyOf4097BytesIs413() throws Exception {
            String prefix = "{\"username\":\"ana\",\"pad\":\"";
            String body = prefix + "x".repeat(CallChatHttp.MAX_BODY_BYTES + 1 - prefix.length() - 2) + "\"}";

            assertProblem(login(server, body), 413);
        }

        @ParameterizedTest(name = "{0} /login")
        @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
        void wrongMethodOnLoginIs405AllowingPost(String method) throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/login"))
                    .method(method, HttpRequest.BodyPublishers.noBody()));

            assertProblem(response, 405);
            assertThat(response.header("Allow")).hasValue("POST");
        }

        /**
         * Mallory's attack: Twilio resolves {@code /v1/Conversations/{value}} as a SID when the value looks like
         * one, so a room named after Alice's conversation SID would make Mallory a participant of it. A room
         * name shaped like any Twilio SID is a 400 problem, on both providers (docs/twilio-limits.md).
         */
        @Test
        void aRoomNamedAfterAnotherRoomsConversationSidIsRefusedAndReachesNothing() throws Exception {
            JsonNode alice = json(login(server, "{\"username\":\"alice\",\"room\":\"Private Board Room\"}"));
            String sid = alice.get("conversation_sid").textValue();
            assertThat(sid).matches("CH[0-9a-f]{32}");

            for (String room : List.of(sid, sid.toLowerCase(Locale.ROOT), "RM" + sid.substring(2))) {
                RawHttp.Response mallory = login(server, "{\"username\":\"mallory\",\"room\":\"" + room + "\"}");

                assertProblem(mallory, 400);
                assertThat(json(mallory).get("detail").textValue()).contains("room").contains("SID");
                assertThat(mallory.text()).doesNotContain("token");
            }
            JsonNode again = json(login(server, "{\"username\":\"alice\",\"room\":\"Private Board Room\"}"));
            assertThat(again.get("conversation_sid").textValue()).isEqualTo(sid);
        }

        @Test
        void missingUsernameIs401Problem() throws Exception {
            RawHttp.Response response = login(server, "{\"room\":\"My Room\"}");

            assertProblem(response, 401);
            assertThat(json(response).get("type").textValue()).isEqualTo(ErrorKind.UNAUTHORIZED.type());
        }

        @Test
        void problemDetailSaysWhatIsWrong() throws Exception {
            JsonNode problem = json(login(server, "{\"username\":\"" + "a".repeat(65) + "\"}"));

            assertThat(problem.get("detail").textValue()).contains("username").contains("64");
        }

        // ---- the original tutorial's client: JSON posted as text/plain ----

        @Test
        void plainTextLoginFromTheServersOwnOriginIsAccepted() throws Exception {
            RawHttp.Response response = plainTextLogin(server, "Origin: " + origin(server));

            assertThat(response.status()).isEqualTo(200);
            assertThat(json(response).get("token").textValue()).isNotBlank();
            assertThat(json(response).has("conversation_sid")).isTrue();
        }

        @Test
        void plainTextLoginTheBrowserMarksSameOriginIsAccepted() throws Exception {
            RawHttp.Response response = plainTextLogin(server, "Sec-Fetch-Site: same-origin");

            assertThat(response.status()).isEqualTo(200);
        }

        @Test
        void plainTextLoginFromAnAllowedOriginIsAccepted() throws Exception {
            try (RunningServer proxied = startWith(Map.of("CALLCHAT_LOGIN_RATE", "off",
                    "CALLCHAT_ALLOWED_ORIGINS", "https://chat.example.com, http://localhost:3000"))) {
                assertThat(plainTextLogin(proxied, "Origin: https://chat.example.com").status()).isEqualTo(200);
                assertProblem(plainTextLogin(proxied, "Origin: https://other.example.com"), 415);
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Origin: https://evil.example", "Origin: null", "Sec-Fetch-Site: cross-site",
                "Sec-Fetch-Site: same-site", "Origin: http://127.0.0.1.evil.example"})
        void plainTextLoginFromAnywhereElseIs415(String header) throws Exception {
            assertProblem(plainTextLogin(server, header), 415);
        }

        @Test
        void plainTextLoginFromTheRightOriginMustStillBeUtf8() throws Exception {
            RawHttp.Response response = raw(server, new RawHttp.Request("POST", "/login", List.of("Host: " + authority(server),
                    "Content-Type: text/plain; charset=iso-8859-1", "Origin: " + origin(server), "Content-Length: 18",
                    "Connection: close"), List.of("{\"username\":\"ana\"}".getBytes(StandardCharsets.UTF_8)), false));

            assertProblem(response, 415);
        }

        // ---- headers the page relies on ----

        @Test
        void everyResponseGrantsCameraMicrophoneAndScreenToThePageOnly() throws Exception {
            for (RawHttp.Response response : List.of(get(server, "/"), get(server, "/health"), get(server, "/missing"))) {
                assertThat(response.header("Permissions-Policy")).as("on a %d", response.status())
                        .hasValue("camera=(self), microphone=(self), display-capture=(self)");
            }
        }

        @Test
        void thePageMayConnectOnlyToItselfAndTwilio() throws Exception {
            String csp = get(server, "/").header("Content-Security-Policy").orElseThrow();
            String connect = java.util.Arrays.stream(csp.split(";")).map(String::strip)
                    .filter(d -> d.startsWith("connect-src ")).findFirst().orElseThrow();

            // 'self' covers ws:/wss: to the page's own host (CSP Level 3); a bare scheme would allow any host.
            assertThat(connect.split(" ")).doesNotContain("ws:", "wss:", "*", "https:", "http:");
        }

        @Test
        void plainHttpGetsNoStrictTransportSecurity() throws Exception {
            assertThat(get(server, "/").header("Strict-Transport-Security")).isEmpty();
        }

        // ---- HTTP framing (RFC 9112) ----

        @Test
        void contentLengthWithChunkedIs400AndTheConnectionCloses() throws Exception {
            List<Integer> statuses = RawHttp.exchangeAll(server.baseUri(), "POST /login HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");

            // RFC 9112 section 6.3: either framing could be meant, so the server answers 400 and closes,
            // and the request smuggled after it is never served.
            assertThat(statuses).containsExactly(400);
        }

        @Test
        void transferEncodingOtherThanChunkedIs400AndTheConnectionCloses() throws Exception {
            List<Integer> statuses = RawHttp.exchangeAll(server.baseUri(), "POST /login HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 18\r\nTransfer-Encoding: xchunked\r\n\r\n"
                    + "{\"username\":\"ana\"}GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");

            assertThat(statuses).containsExactly(400);
        }

        @Test
        void http10WithoutHostIsServed() throws Exception {
            // Host is required in HTTP/1.1 only (RFC 9112 section 3.2); HTTP/1.0 has no such rule.
            List<Integer> statuses = RawHttp.exchangeAll(server.baseUri(), "GET /health HTTP/1.0\r\n\r\n");

            assertThat(statuses).containsExactly(200);
        }

        // ---- rate limit ----

        @Test
        void fourthLoginWithinAMinuteIs429WithRetryAfter() throws Exception {
            // Per hour, not per minute: the bucket must not refill between the logins on a busy machine.
            try (RunningServer limited = startWith(Map.of("CALLCHAT_LOGIN_RATE", "3/h"))) {
                for (int i = 0; i < 3; i++) {
                    assertThat(login(limited, "{\"username\":\"ana\"}").status()).isEqualTo(200);
                }
                RawHttp.Response fourth = login(limited, "{\"username\":\"ana\"}");

                assertProblem(fourth, 429);
                assertThat(fourth.header("Retry-After")).hasValueSatisfying(
                        v -> assertThat(Long.parseLong(v)).isBetween(1L, 3600L));
            }
        }

        @Test
        void rateLimitIgnoresXForwardedForUnlessTrusted() throws Exception {
            try (RunningServer limited = startWith(Map.of("CALLCHAT_LOGIN_RATE", "1/h"))) {
                assertThat(loginFrom(limited, "203.0.113.1").status()).isEqualTo(200);

                assertThat(loginFrom(limited, "203.0.113.2").status()).isEqualTo(429);
            }
        }

        @Test
        void rateLimitKeysOnTheAddressTheTrustedProxyAppended() throws Exception {
            try (RunningServer limited = startWith(Map.of("CALLCHAT_LOGIN_RATE", "1/h", "CALLCHAT_TRUST_PROXY", "true"))) {
                assertThat(loginFrom(limited, "198.51.100.7, 203.0.113.1").status()).isEqualTo(200);
                assertThat(loginFrom(limited, "198.51.100.7, 203.0.113.2").status()).isEqualTo(200);

                // A client that spoofs a different first entry is still the same client.
                assertThat(loginFrom(limited, "198.51.100.99, 203.0.113.1").status()).isEqualTo(429);
            }
        }

        // ---- health ----

        @Test
        void healthIsUpAndNamesTheProvider() throws Exception {
            RawHttp.Response response = get(server, "/health");

            assertThat(response.status()).isEqualTo(200);
            assertThat(mediaType(response)).isEqualTo("application/json");
            JsonNode body = json(response);
            assertThat(body.get("status").textValue()).isEqualTo("UP");
            assertThat(body.get("provider").textValue()).isEqualTo(providerName());
        }

        @Test
        void postToHealthIs405AllowingGetAndHead() throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()));

            assertProblem(response, 405);
            assertThat(response.header("Allow")).hasValue("GET, HEAD");
        }

        // ---- OpenAPI document ----

        @Test
        void openApiDocumentDescribesTheContract() throws Exception {
            RawHttp.Response response = get(server, "/openapi.json");

            assertThat(response.status()).isEqualTo(200);
            assertThat(mediaType(response)).isEqualTo("application/json");
            JsonNode document = json(response);
            assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
            assertThat(document.path("paths").has("/login")).isTrue();
        }

        /** Code generators and API gateways refuse a document swagger-parser reports problems in. */
        @Test
        void openApiDocumentPassesSwaggerParserWithUniqueOperationIds() throws Exception {
            String document = new String(get(server, "/openapi.json").body(), java.nio.charset.StandardCharsets.UTF_8);
            io.swagger.v3.parser.core.models.ParseOptions options = new io.swagger.v3.parser.core.models.ParseOptions();
            options.setResolve(true);

            io.swagger.v3.parser.core.models.SwaggerParseResult result =
                    new io.swagger.v3.parser.OpenAPIV3Parser().readContents(document, null, options);

            assertThat(result.getMessages()).isEmpty();
            java.util.List<String> operationIds = result.getOpenAPI().getPaths().values().stream()
                    .flatMap(item -> item.readOperations().stream())
                    .map(io.swagger.v3.oas.models.Operation::getOperationId)
                    .toList();
            assertThat(operationIds).doesNotHaveDuplicates().doesNotContainNull();
        }

        // ---- static assets ----

        @Test
        void rootServesTheWebClientAsHtmlWithTheCsp() throws Exception {
            RawHttp.Response response = get(server, "/");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v.toLowerCase(Locale.ROOT).replace(" ", "")).isEqualTo("text/html;charset=utf-8"));
            assertThat(response.header("Content-Security-Policy")).hasValue(CSP);
            assertThat(response.text()).contains("callchat contract test page");
        }

        @Test
        void indexHtmlIsTheSameDocumentAsRoot() throws Exception {
            RawHttp.Response root = get(server, "/");
            RawHttp.Response index = get(server, "/index.html");

            assertThat(index.status()).isEqualTo(200);
            assertThat(index.body()).isEqualTo(root.body());
            assertThat(index.header("ETag")).isEqualTo(root.header("ETag"));
        }

        @Test
        void htmlIsRevalidatedOnEveryUse() throws Exception {
            assertThat(get(server, "/").header("Cache-Control")).hasValue("no-cache");
        }

        @Test
        void javascriptIsServedAsTextJavascriptAndCachedForAWhile() throws Exception {
            RawHttp.Response response = get(server, "/app.js");

            assertThat(response.status()).isEqualTo(200);
            assertThat(mediaType(response)).isEqualTo("text/javascript");
            assertThat(response.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
            assertThat(response.text()).contains("export const contract");
        }

        @Test
        void cssIsServedAsTextCss() throws Exception {
            assertThat(mediaType(get(server, "/style.css"))).isEqualTo("text/css");
        }

        @Test
        void filesInSubfoldersAreServed() throws Exception {
            assertThat(get(server, "/sub/nested.js").status()).isEqualTo(200);
        }

        @Test
        void assetsCarryAStrongEtag() throws Exception {
            assertThat(get(server, "/app.js").header("ETag")).hasValueSatisfying(
                    etag -> assertThat(etag).startsWith("\"").endsWith("\"").hasSizeGreaterThan(8));
        }

        @Test
        void matchingIfNoneMatchAnswers304WithoutBody() throws Exception {
            String etag = get(server, "/app.js").header("ETag").orElseThrow();

            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/app.js")).header("If-None-Match", etag));

            assertThat(response.status()).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(response.header("ETag")).hasValue(etag);
        }

        @Test
        void staleIfNoneMatchAnswersTheFile() throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/app.js"))
                    .header("If-None-Match", "\"not-the-current-version\""));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isNotEmpty();
        }

        @Test
        void headOfAnAssetHasItsHeadersButNoBody() throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/app.js"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("ETag")).isPresent();
            assertThat(response.body()).isEmpty();
        }

        @Test
        void postToAnAssetIs405AllowingGetAndHead() throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/app.js"))
                    .POST(HttpRequest.BodyPublishers.noBody()));

            assertProblem(response, 405);
            assertThat(response.header("Allow")).hasValue("GET, HEAD");
        }

        @Test
        void unknownPathIs404Problem() throws Exception {
            assertProblem(get(server, "/no/such/file.js"), 404);
        }

        @Test
        void folderNamesAreNotServed() throws Exception {
            assertProblem(get(server, "/sub"), 404);
        }

        // ---- headers on every response ----

        @Test
        void everyResponseCarriesTheSecurityHeaders() throws Exception {
            String etag = get(server, "/app.js").header("ETag").orElseThrow();
            List<RawHttp.Response> responses = List.of(
                    login(server, "{\"username\":\"ana\"}"),
                    login(server, "{}"),
                    login(server, "[]"),
                    get(server, "/health"),
                    get(server, "/"),
                    get(server, "/app.js"),
                    get(server, "/missing"),
                    get(server, "/login"),
                    send(server, HttpRequest.newBuilder(server.uri("/app.js")).header("If-None-Match", etag)),
                    send(server, HttpRequest.newBuilder(server.uri("/login")).header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString("ana"))));

            assertThat(responses).allSatisfy(HttpContract::assertSecurityHeaders);
        }

        // ---- hostile input ----

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.callchat.testing.contract.BadInputs#all")
        void badInputIsAClear4xxProblemAndTheServerKeepsServing(BadInputs.BadInput input) throws Exception {
            Optional<RawHttp.Response> response = RawHttp.exchange(server.baseUri(), input.request());

            if (input.request().halfClose() && response.isEmpty()) {
                // A client that gives up half-way may just be disconnected; what matters is the server lives on.
                assertThat(get(server, "/health").status()).isEqualTo(200);
                return;
            }
            assertThat(response).as("a response to: " + input.name()).isPresent();
            assertThat(response.get().status()).as(input.name()).isIn(input.statuses());
            assertProblem(response.get(), response.get().status());
            assertThat(get(server, "/health").status()).as("the next request after: " + input.name()).isEqualTo(200);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.callchat.testing.contract.BadInputs#malformedHttp")
        void malformedHttpIsRefusedWithout5xxOrForeignErrorBody(BadInputs.BadInput input) throws Exception {
            Optional<RawHttp.Response> response = RawHttp.exchange(server.baseUri(), input.request());

            if (response.isPresent()) {
                assertThat(response.get().status()).as(input.name()).isIn(input.statuses());
                if (response.get().body().length > 0) {
                    assertProblem(response.get(), response.get().status());
                }
            }
            assertThat(get(server, "/health").status()).as("the next request after: " + input.name()).isEqualTo(200);
        }

        @Test
        void twoHundredExtraHeadersAreServedOrRefusedAsAProblem() throws Exception {
            RawHttp.Response response = raw(server, BadInputs.manyHeaders(200));

            assertThat(response.status()).isIn(200, 431);
            if (response.status() != 200) {
                assertProblem(response, 431);
            }
            assertThat(get(server, "/health").status()).isEqualTo(200);
        }
    }

    /** Twilio mode: the real Twilio provider against {@link FakeTwilio}. */
    @Nested
    @DisplayName("twilio mode")
    public class TwilioMode extends Contract {
        private final FakeTwilio fake = FakeTwilio.start();

        @Override
        String providerName() {
            return "twilio";
        }

        @Override
        CallSessionService service(Map<String, String> env) {
            Map<String, String> vars = new HashMap<>(Map.of("CALLCHAT_ROOM", "Contract Room"));
            vars.putAll(env);
            return CallSessionService.create(fake.config(vars));
        }

        @AfterEach
        void healTwilio() {
            fake.clearFaults();
        }

        @AfterAll
        void stopTwilio() {
            fake.close();
        }

        @Test
        void localWebSocketIs404() throws Exception {
            RawHttp.Response response = send(server, HttpRequest.newBuilder(server.uri("/local/ws"))
                    .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));

            assertProblem(response, 404);
        }

        @Test
        void configuredIceServersAreNotHandedOutBecauseTwilioBringsItsOwnRelays() throws Exception {
            try (RunningServer withIce = startWith(Map.of("CALLCHAT_ICE_SERVERS", "stun:stun.example.org,turn:turn.example.org",
                    "CALLCHAT_TURN_SECRET", TURN_SECRET))) {
                JsonNode body = json(login(withIce, "{\"username\":\"ana\",\"room\":\"Ice Room\"}"));

                assertThat(body.get("ice_servers")).isEmpty();
            }
        }

        @Test
        void loginGrantsChatWithTheConversationOfTheRoom() throws Exception {
            JsonNode body = json(login(server, "{\"username\":\"ana\",\"room\":\"Fresh Room\"}"));

            assertThat(body.get("chat").booleanValue()).isTrue();
            assertThat(body.get("chat_status").textValue()).isEqualTo("ready");
            assertThat(body.get("conversation_sid").textValue()).isEqualTo(fake.conversationSid("Fresh Room").orElseThrow());
        }

        @Test
        void malloryNeverBecomesAParticipantOfAliceConversation() throws Exception {
            String sid = json(login(server, "{\"username\":\"alice\",\"room\":\"Board Room\"}"))
                    .get("conversation_sid").textValue();

            assertProblem(login(server, "{\"username\":\"mallory\",\"room\":\"" + sid + "\"}"), 400);

            assertThat(fake.participants(sid)).containsExactly("alice");
        }

        @Test
        void loginsBeyondTwiliosRateGetTheirTokenAtOnceWithChatPendingAndAreEnrolledLater() throws Exception {
            // Another instance has used the conversation's actions for this second (Twilio answers 429/20429),
            // and Twilio's clock stands still until we let it go on.
            fake.actionsClock(Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), java.time.ZoneOffset.UTC)).actionsPerSecond(1);
            try {
                JsonNode first = json(login(server, "{\"username\":\"ana\",\"room\":\"Crowded Room\"}"));
                List<JsonNode> crowd = new ArrayList<>();
                for (String user : List.of("ben", "cleo", "dan")) {
                    crowd.add(json(login(server, "{\"username\":\"" + user + "\",\"room\":\"Crowded Room\"}")));
                }
                String sid = first.get("conversation_sid").textValue();

                assertThat(first.get("chat_status").textValue()).isEqualTo("ready");
                assertThat(crowd).allSatisfy(body -> {
                    assertThat(body.get("chat_status").textValue()).isEqualTo("pending");
                    assertThat(body.get("chat").booleanValue()).isTrue();
                    assertThat(body.get("conversation_sid").textValue()).isEqualTo(sid);
                });
                assertThat(fake.participants(sid)).containsExactly("ana");

                fake.actionsClock(Clock.systemUTC()).actionsPerSecond(30);
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (fake.participants(sid).size() < 4 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertThat(fake.participants(sid)).containsExactlyInAnyOrder("ana", "ben", "cleo", "dan");
                // The queued enrollment is remembered just after Twilio answered it: a login may still race it.
                String again = "pending";
                while ("pending".equals(again) && System.nanoTime() < until) {
                    again = json(login(server, "{\"username\":\"dan\",\"room\":\"Crowded Room\"}"))
                            .get("chat_status").textValue();
                }
                assertThat(again).isEqualTo("ready");
            } finally {
                fake.actionsClock(Clock.systemUTC()).actionsPerSecond(30);
            }
        }

        @Test
        void rejectedCredentialsAre502Problem() throws Exception {
            // A server of its own: failures must not trip the shared server's circuit breaker.
            try (RunningServer isolated = startWith(Map.of())) {
                fake.failAlways(FakeTwilio.Fault.credentialsRejected());

                RawHttp.Response response = login(isolated, "{\"username\":\"ana\",\"room\":\"Rejected Room\"}");

                assertProblem(response, 502);
                assertThat(json(response).get("type").textValue()).isEqualTo(ErrorKind.UPSTREAM_REJECTED.type());
                assertThat(response.text()).doesNotContain(FakeTwilio.API_KEY_SECRET);
            }
        }

        @Test
        void chatDownGivesAVideoOnlyLogin() throws Exception {
            try (RunningServer isolated = startWith(Map.of())) {
                fake.failAlways(FakeTwilio.Fault.unavailable());

                JsonNode body = json(login(isolated, "{\"username\":\"ana\",\"room\":\"Down Room\"}"));

                assertThat(body.get("chat").booleanValue()).isFalse();
                assertThat(body.get("chat_status").textValue()).isEqualTo("unavailable");
                assertThat(body.get("conversation_sid").isNull()).isTrue();
                assertThat(body.get("token").textValue()).isNotBlank();
            }
        }

        @Test
        void chatDownWhenChatIsRequiredIs503WithRetryAfter() throws Exception {
            try (RunningServer strict = startWith(Map.of("CALLCHAT_CHAT_REQUIRED", "true"))) {
                fake.failAlways(FakeTwilio.Fault.unavailable());

                RawHttp.Response response = login(strict, "{\"username\":\"ana\",\"room\":\"Required Room\"}");

                assertProblem(response, 503);
                assertThat(response.header("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            }
        }
    }

    /** Local mode: the embedded provider and its WebSocket hub, with a short auth deadline and a low flood limit. */
    @Nested
    @DisplayName("local mode")
    public class LocalMode extends Contract {
        private static final String SECRET = "contract-suite-local-secret-0123456789";
        /**
         * A generous auth deadline: members authenticate at once, and on a busy machine a short one
         * closed them (4401) before their auth frame was read. Only the silent-socket test, which waits
         * for the deadline, gets a server with a short one.
         */
        private final HubLimits limits = HubLimits.custom().authDeadline(Duration.ofSeconds(60))
                .messagesPerSecond(5).messageBurst(5).floodStrikes(3).historySize(100).build();
        private final HubLimits quickAuth = limits.toBuilder().authDeadline(Duration.ofMillis(300)).build();

        @Override
        String providerName() {
            return "local";
        }

        @Override
        CallSessionService service(Map<String, String> env) {
            return service(env, Clock.systemUTC(), limits);
        }

        CallSessionService service(Map<String, String> env, Clock clock) {
            return service(env, clock, limits);
        }

        CallSessionService service(Map<String, String> env, Clock clock, HubLimits hubLimits) {
            Map<String, String> vars = new HashMap<>(Map.of("CALLCHAT_ROOM", "Contract Room", "CALLCHAT_LOCAL_SECRET", SECRET));
            vars.putAll(env);
            Config config = Config.from(vars);
            return CallSessionService.builder(config).clock(clock).provider(LocalProvider.create(config, clock, hubLimits)).build();
        }

        @Test
        void localChatIsAlwaysReady() throws Exception {
            for (int i = 0; i < 40; i++) {
                JsonNode body = json(login(server, "{\"username\":\"user" + i + "\",\"room\":\"Crowded Room\"}"));

                assertThat(body.get("chat_status").textValue()).isEqualTo("ready");
            }
        }

        String token(String username, String room) throws Exception {
            return json(login(server, "{\"username\":\"" + username + "\",\"room\":\"" + room + "\"}")).get("token").textValue();
        }

        SocketClient member(String username, String room) throws Exception {
            // The login first: the 300 ms auth deadline starts at connect, and a login on a busy machine can take longer.
            String token = token(username, room);
            SocketClient socket = SocketClient.connect(client, server);
            socket.send(auth(token));
            assertThat(socket.next("welcome").get("identity").textValue()).isEqualTo(username);
            return socket;
        }

        /** RFC 6455, section 5.5.1: the endpoint that receives a Close frame answers with one, echoing the code. */
        @Test
        void aClientInitiatedCloseIsAnsweredWithANormalClose() throws Exception {
            try (SocketClient ana = member("ana", "Closing Room")) {
                ana.closeNormally();

                assertThat(ana.closure().code()).isEqualTo(1000);
            }
        }

        @Test
        void loginHandsOutTheIceServersWithTurnCredentialsExpiringWithTheToken() throws Exception {
            String secret = TURN_SECRET;
            try (RunningServer withIce = startWith(Map.of("CALLCHAT_ICE_SERVERS",
                    "stun:stun.example.org:3478,turn:turn.example.org:3478?transport=udp", "CALLCHAT_TURN_SECRET", secret))) {
                JsonNode body = json(login(withIce, "{\"username\":\"ana\",\"room\":\"Ice Room\"}"));

                JsonNode ice = body.get("ice_servers");
                assertThat(ice).hasSize(2);
                assertThat(ice.get(0).toString()).isEqualTo("{\"urls\":[\"stun:stun.example.org:3478\"]}");
                JsonNode turn = ice.get(1);
                assertThat(turn.get("urls").toString()).isEqualTo("[\"turn:turn.example.org:3478?transport=udp\"]");
                long expiry = Instant.parse(body.get("expires_at").textValue()).getEpochSecond();
                assertThat(turn.get("username").textValue()).isEqualTo(expiry + ":ana");
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
                mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                assertThat(turn.get("credential").textValue()).isEqualTo(java.util.Base64.getEncoder()
                        .encodeToString(mac.doFinal((expiry + ":ana").getBytes(StandardCharsets.UTF_8))));
            }
        }

        @Test
        void plainGetOfTheSocketPathIsAProblem() throws Exception {
            RawHttp.Response response = get(server, "/local/ws");

            assertThat(response.status()).isBetween(400, 499);
            assertProblem(response, response.status());
        }

        @Test
        void validTokenIsWelcomedIntoItsRoom() throws Exception {
            try (SocketClient socket = SocketClient.connect(client, server)) {
                socket.send(auth(token("ana", "Socket Room")));

                JsonNode welcome = socket.next("welcome");
                assertThat(welcome.get("identity").textValue()).isEqualTo("ana");
                assertThat(welcome.get("room").textValue()).isEqualTo("Socket Room");
            }
        }

        @Test
        void silentSocketIsClosed4401AfterTheAuthDeadline() throws Exception {
            CallSessionService quick = service(Map.of(), Clock.systemUTC(), quickAuth);
            RunningServer running = start(new CallChatHttp(quick, TEST_ASSET_ROOT));
            try (RunningServer quickServer = new RunningServer(running.baseUri(), () -> {
                running.close();
                quick.close();
            }); SocketClient socket = SocketClient.connect(client, quickServer)) {
                // The deadline is short; the wait for the closure is SocketClient's generous one.
                assertThat(socket.closure().code()).isEqualTo(4401);
            }
        }

        // ---- who may open the socket ----

        @Test
        void socketFromTheServersOwnOriginIsWelcomed() throws Exception {
            try (RawWebSocket socket = RawWebSocket.open(server.baseUri(), "Origin: " + origin(server))) {
                assertThat(socket.status()).isEqualTo(101);
            }
        }

        @Test
        void socketFromAnotherOriginIsRefused403() throws Exception {
            RawHttp.Response response = raw(server, new RawHttp.Request("GET", "/local/ws", List.of("Host: " + authority(server),
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 13", "Origin: https://evil.example"), List.of(), false));

            assertProblem(response, 403);
        }

        @Test
        void socketFromAnAllowedOriginIsWelcomedBehindAProxy() throws Exception {
            try (RunningServer proxied = startWith(Map.of("CALLCHAT_ALLOWED_ORIGINS", "https://chat.example.com"));
                 RawWebSocket allowed = RawWebSocket.open(proxied.baseUri(), "Origin: https://chat.example.com");
                 RawWebSocket other = RawWebSocket.open(proxied.baseUri(), "Origin: https://other.example.com")) {
                assertThat(allowed.status()).isEqualTo(101);
                assertThat(other.status()).isEqualTo(403);
            }
        }

        // ---- RFC 6455 violations ----

        @Test
        void invalidUtf8InATextFrameIsClosed1007WithoutAnErrorLogged() throws Exception {
            try (LogWatch log = LogWatch.start(); RawWebSocket socket = RawWebSocket.open(server.baseUri())) {
                assertThat(socket.status()).isEqualTo(101);
                socket.sendFrame(0x81, RawWebSocket.bytes('{', 0xC3, 0x28, '}'));

                assertThat(socket.closeCode()).hasValue(1007);
                assertThat(log.errors()).isEmpty();
            }
        }

        @Test
        void reservedBitWithoutAnExtensionIsClosed1002WithoutAnErrorLogged() throws Exception {
            try (LogWatch log = LogWatch.start(); RawWebSocket socket = RawWebSocket.open(server.baseUri())) {
                assertThat(socket.status()).isEqualTo(101);
                socket.sendFrame(0xC1, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

                assertThat(socket.closeCode()).hasValue(1002);
                assertThat(log.errors()).isEmpty();
            }
        }

        @Test
        void badTokenIsClosed4401() throws Exception {
            try (SocketClient socket = SocketClient.connect(client, server)) {
                socket.send(auth("not.a.token"));

                assertThat(socket.closure().code()).isEqualTo(4401);
            }
        }

        @Test
        void expiredTokenIsClosed4401() throws Exception {
            String expired;
            try (CallSessionService past = service(Map.of(), Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)))) {
                expired = past.login(LoginRequest.of("ana", "Socket Room")).token();
            }
            try (SocketClient socket = SocketClient.connect(client, server)) {
                socket.send(auth(expired));

                assertThat(socket.closure().code()).isEqualTo(4401);
            }
        }

        @Test
        void oversizeFrameIsClosed1009() throws Exception {
            try (SocketClient socket = member("ana", "Size Room")) {
                socket.sendQuietly("{\"type\":\"chat\",\"text\":\"" + "x".repeat(limits.maxFrameChars()) + "\"}");

                assertThat(socket.closure().code()).isEqualTo(1009);
            }
        }

        @Test
        void frameFarOverTheLimitIsClosed1009AtTheSocket() throws Exception {
            try (SocketClient socket = member("ana", "Size Room")) {
                socket.sendQuietly("{\"type\":\"chat\",\"text\":\"" + "x".repeat(limits.maxFrameChars() * 4) + "\"}");

                assertThat(socket.closure().code()).isEqualTo(1009);
            }
        }

        @Test
        void binaryFrameIsRefusedOrIgnored() throws Exception {
            try (SocketClient socket = member("ana", "Binary Room")) {
                socket.sendBinaryQuietly(new byte[] {1, 2, 3});
                socket.sendQuietly("{\"type\":\"ping\"}");

                // docs/local-protocol.md: binary frames are not part of the protocol; close with 1003 or ignore.
                if (socket.nextUnlessClosed("pong").isEmpty()) {
                    assertThat(socket.closure().code()).isIn(1003, 1009);
                }
            }
        }

        @Test
        void floodIsRateLimitedThenClosed() throws Exception {
            try (SocketClient socket = member("ana", "Flood Room")) {
                for (int i = 0; i < 50 && !socket.closed(); i++) {
                    socket.sendQuietly("{\"type\":\"ping\"}");
                }

                assertThat(socket.next(f -> "rate_limited".equals(f.path("code").asText())).get("type").textValue())
                        .isEqualTo("error");
                assertThat(socket.closure().code()).isEqualTo(4429);
            }
        }

        @Test
        void unknownMessageTypeGetsAnErrorFrame() throws Exception {
            try (SocketClient socket = member("ana", "Typo Room")) {
                socket.send("{\"type\":\"teleport\"}");

                JsonNode error = socket.next("error");
                assertThat(error.get("code").textValue()).isEqualTo("unknown_type");
            }
        }

        @Test
        void memberOfOneRoomCannotSignalAMemberOfAnother() throws Exception {
            try (SocketClient ana = member("ana", "Room A"); SocketClient bob = member("bob", "Room B")) {
                ana.send("{\"type\":\"signal\",\"to\":\"bob\",\"data\":{\"sdp\":\"offer\"}}");

                assertThat(ana.next("error").get("code").textValue()).isEqualTo("unknown_peer");
                bob.send("{\"type\":\"ping\"}");
                assertThat(bob.next().get("type").textValue()).isEqualTo("pong");
            }
        }

        @Test
        void twoMembersOfARoomExchangeChat() throws Exception {
            try (SocketClient ana = member("ana", "Chat Room"); SocketClient bob = member("bob", "Chat Room")) {
                ana.send("{\"type\":\"chat\",\"text\":\"hi bob <b>\"}");

                JsonNode received = bob.next("chat");
                assertThat(received.get("author").textValue()).isEqualTo("ana");
                assertThat(received.get("text").textValue()).isEqualTo("hi bob <b>");
                assertThat(ana.next("chat").get("text").textValue()).isEqualTo("hi bob <b>");
            }
        }

        @Test
        void longestChatEscapedAsPythonDoesFitsTheFrameLimit() throws Exception {
            // json.dumps escapes every non-ASCII char, an emoji as a surrogate pair: 12 chars per code point.
            String emoji = "\uD83D\uDE00".repeat(4096);
            StringBuilder escaped = new StringBuilder();
            emoji.chars().forEach(unit -> escaped.append(String.format("\\u%04x", unit)));
            String frame = "{\"type\": \"chat\", \"text\": \"" + escaped + "\"}";
            assertThat(frame.length()).isGreaterThan(49_152);
            try (SocketClient ana = member("ana", "Emoji Room")) {
                ana.send(frame);

                assertThat(ana.next("chat").get("text").textValue()).isEqualTo(emoji);
            }
        }

        @Test
        void twoMembersOfARoomRelaySignals() throws Exception {
            try (SocketClient ana = member("ana", "Call Room"); SocketClient bob = member("bob", "Call Room")) {
                ana.send("{\"type\":\"signal\",\"to\":\"bob\",\"data\":{\"sdp\":\"offer\"}}");

                JsonNode signal = bob.next("signal");
                assertThat(signal.get("from").textValue()).isEqualTo("ana");
                assertThat(signal.get("data").get("sdp").textValue()).isEqualTo("offer");
            }
        }

        private String auth(String token) {
            return "{\"type\":\"auth\",\"token\":\"" + token + "\"}";
        }
    }

    // ---- helpers shared by both modes ----

    RawHttp.Response login(RunningServer server, String json) throws IOException, InterruptedException {
        return send(server, HttpRequest.newBuilder(server.uri("/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** The tutorial's {@code fetch('/login', {method: 'POST', body: JSON.stringify({username})})}, as a browser sends it. */
    static RawHttp.Response plainTextLogin(RunningServer server, String header) throws IOException, InterruptedException {
        byte[] body = "{\"username\":\"ana\"}".getBytes(StandardCharsets.UTF_8);
        return raw(server, new RawHttp.Request("POST", "/login", List.of("Host: " + authority(server),
                "Content-Type: text/plain;charset=UTF-8", header, "Content-Length: " + body.length, "Connection: close"),
                List.of(body), false));
    }

    /** @return the server's origin as a browser would send it, e.g. {@code http://127.0.0.1:41234} */
    static String origin(RunningServer server) {
        return "http://" + authority(server);
    }

    static String authority(RunningServer server) {
        return server.baseUri().getRawAuthority();
    }

    RawHttp.Response loginFrom(RunningServer server, String forwardedFor) throws IOException, InterruptedException {
        return send(server, HttpRequest.newBuilder(server.uri("/login"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\"}")));
    }

    RawHttp.Response get(RunningServer server, String path) throws IOException, InterruptedException {
        return send(server, HttpRequest.newBuilder(server.uri(path)));
    }

    RawHttp.Response send(RunningServer server, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return new RawHttp.Response(response.statusCode(), headers, response.body());
    }

    static RawHttp.Response raw(RunningServer server, RawHttp.Request request) throws IOException, InterruptedException {
        return RawHttp.exchange(server.baseUri(), request).orElseThrow(() -> new AssertionError("no response"));
    }

    static JsonNode json(RawHttp.Response response) throws IOException {
        return JSON.readTree(response.body());
    }

    static String mediaType(RawHttp.Response response) {
        return response.header("Content-Type").map(v -> v.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
    }

    static void assertSecurityHeaders(RawHttp.Response response) {
        assertThat(response.header("X-Content-Type-Options")).as("nosniff on a %d", response.status()).hasValue("nosniff");
        assertThat(response.header("Referrer-Policy")).as("Referrer-Policy on a %d", response.status()).hasValue("no-referrer");
    }

    /** A problem+json body (RFC 9457) for {@code status}, with the security headers and no stack trace. */
    static void assertProblem(RawHttp.Response response, int status) throws IOException {
        assertThat(response.status()).isEqualTo(status);
        assertThat(mediaType(response)).isEqualTo("application/problem+json");
        assertSecurityHeaders(response);
        String text = response.text();
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContainIgnoringCase("<html");
        JsonNode body = JSON.readTree(text);
        assertThat(body.get("type").textValue()).startsWith("https://");
        assertThat(body.get("title").textValue()).isNotBlank();
        assertThat(body.get("status").intValue()).isEqualTo(status);
        assertThat(body.get("detail").textValue()).isNotBlank();
        if (status == 429 || status == 503) {
            assertThat(response.header("Retry-After")).isPresent();
        }
    }
}

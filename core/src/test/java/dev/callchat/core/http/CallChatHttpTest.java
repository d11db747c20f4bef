package dev.callchat.core.http;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CallChatHttp} without a server: the decisions an HTTP round trip cannot easily provoke. */
class CallChatHttpTest {
    private static final String ASSETS = "dev/callchat/core/http/assets/";

    private final CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
    private final CallChatHttp http = new CallChatHttp(service, ASSETS);

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void unexpectedFailureIs500ProblemWithoutInternals() {
        HttpCall broken = new Call("POST", "/login", Map.of("Content-Type", "application/json"), null) {
            @Override
            public byte[] body() {
                throw new IllegalStateException("secret internals");
            }
        };

        HttpReply reply = http.handle(broken);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(text(reply)).contains("\"status\":500").doesNotContain("secret internals").doesNotContain("Exception");
    }

    @Test
    void adapterDetectedProblemHasTheSameShapeAndHeaders() {
        HttpReply reply = http.problem(ErrorKind.HEADERS_TOO_LARGE, "Too many request headers");

        assertThat(reply.status()).isEqualTo(431);
        assertThat(reply.headers()).containsEntry("Content-Type", "application/problem+json")
                .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Referrer-Policy", "no-referrer");
        assertThat(text(reply)).contains("\"type\":\"" + ErrorKind.HEADERS_TOO_LARGE.type() + "\"")
                .contains("\"detail\":\"Too many request headers\"");
    }

    @Test
    void adapterDetected503CarriesRetryAfter() {
        assertThat(http.problem(ErrorKind.SERVICE_UNAVAILABLE, "shutting down").headers()).containsKey("Retry-After");
    }

    @Test
    void headOfAnAssetKeepsItsHeadersAndDropsTheBody() {
        HttpReply reply = http.handle(new Call("HEAD", "/app.js", Map.of(), null));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).containsKey("ETag").containsEntry("Content-Type", "text/javascript; charset=utf-8");
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void bodyCutShortIs400() {
        HttpCall cut = new Call("POST", "/login", Map.of("Content-Type", "application/json"), null) {
            @Override
            public byte[] body() {
                throw new java.io.UncheckedIOException(new java.io.EOFException("client went away"));
            }
        };

        assertThat(http.handle(cut).status()).isEqualTo(400);
    }

    @Test
    void bodyTooLargeIs413() {
        HttpCall large = new Call("POST", "/login", Map.of("Content-Type", "application/json"), null) {
            @Override
            public byte[] body() throws BodyTooLargeException {
                throw new BodyTooLargeException();
            }
        };

        assertThat(http.handle(large).status()).isEqualTo(413);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../../../dev/callchat/core/http/CallChatHttpTest.class", "/..", "/.hidden.js", "/sub/../app.js",
            "/app.js/", "//app.js", "/app.js%00", "/%61pp.js", "/sub\\nested.js", "/app.JS.class", "/sub", "/index.html?x"})
    void onlyPlainNamesOfFilesUnderTheRootAreServed(String path) {
        assertThat(http.handle(new Call("GET", path, Map.of(), null)).status()).isEqualTo(404);
    }

    @Test
    void assetRootMayOmitTheTrailingSlash() {
        CallChatHttp withoutSlash = new CallChatHttp(service, ASSETS.substring(0, ASSETS.length() - 1));

        assertThat(withoutSlash.handle(new Call("GET", "/", Map.of(), null)).status()).isEqualTo(200);
    }

    @Test
    void localModeServesTheWebSocket() {
        assertThat(http.localWebSocketEnabled()).isTrue();
    }

    @Test
    void loginCarriesTheRequestToTheAuthenticator() {
        CallSessionService headerAuth = CallSessionService.builder(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")))
                .authenticator(request -> request.context().header("X-User").orElse(null))
                .build();
        try (headerAuth) {
            HttpReply reply = new CallChatHttp(headerAuth).handle(new Call("POST", "/login",
                    Map.of("Content-Type", "application/json", "x-user", "carol"), "{}"));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(text(reply)).contains("\"identity\":\"carol\"");
        }
    }

    @Test
    void everyReplyOverHttpsCarriesStrictTransportSecurity() {
        for (HttpCall call : java.util.List.of(secure(new Call("GET", "/", Map.of(), null)),
                secure(new Call("GET", "/missing", Map.of(), null)),
                secure(new Call("POST", "/login", Map.of("Content-Type", "application/json"), "{\"username\":\"ana\"}")))) {
            assertThat(http.handle(call).headers()).as(call.rawPath()).containsEntry("Strict-Transport-Security", "max-age=31536000");
        }
        assertThat(http.handle(new Call("GET", "/", Map.of(), null)).headers()).doesNotContainKey("Strict-Transport-Security");
    }

    @Test
    void webSocketOriginIsTheServersOwnOrAnAllowedOne() {
        try (CallSessionService proxied = CallSessionService.create(Config.from(Map.of(
                "CALLCHAT_ALLOWED_ORIGINS", "https://chat.example.com")))) {
            CallChatHttp behindProxy = new CallChatHttp(proxied, ASSETS);
            assertThat(behindProxy.refuseWebSocket(upgrade("127.0.0.1:8080", "http://127.0.0.1:8080"))).isEmpty();
            assertThat(behindProxy.refuseWebSocket(upgrade("localhost", "http://LOCALHOST:80"))).isEmpty();
            assertThat(behindProxy.refuseWebSocket(upgrade("10.0.0.5:8080", "https://chat.example.com"))).isEmpty();
            assertThat(behindProxy.refuseWebSocket(upgrade("10.0.0.5:8080", null))).as("not a browser").isEmpty();
            assertThat(behindProxy.refuseWebSocket(upgrade("127.0.0.1:8080", "https://127.0.0.1:8080"))).isPresent();
            assertThat(behindProxy.refuseWebSocket(upgrade("127.0.0.1:8080", "http://127.0.0.1:8081"))).isPresent();
            assertThat(behindProxy.refuseWebSocket(upgrade("127.0.0.1:8080", "null"))).isPresent();
            assertThat(behindProxy.refuseWebSocket(upgrade("10.0.0.5:8080", "https://evil.example")))
                    .hasValueSatisfying(reply -> assertThat(reply.status()).isEqualTo(403));
        }
    }

    @Test
    void httpsPageMatchesAnHttpsRequestOnTheDefaultPort() {
        assertThat(http.refuseWebSocket(secure(upgrade("chat.example.com", "https://chat.example.com")))).isEmpty();
        assertThat(http.refuseWebSocket(secure(upgrade("chat.example.com:443", "https://chat.example.com")))).isEmpty();
        assertThat(http.refuseWebSocket(secure(upgrade("chat.example.com", "http://chat.example.com")))).isPresent();
    }

    private static Call upgrade(String host, String origin) {
        Map<String, String> headers = new TreeMap<>(Map.of("Host", host, "Upgrade", "websocket"));
        if (origin != null) {
            headers.put("Origin", origin);
        }
        return new Call("GET", CallChatHttp.LOCAL_WS_PATH, headers, null);
    }

    private static HttpCall secure(Call call) {
        return new Call(call.method, call.path, call.headers, call.body) {
            @Override
            public boolean secure() {
                return true;
            }
        };
    }

    @Test
    void withAnAuthenticatorTheLoginRateLimitKeysOnTheUserNotTheSharedAddress() {
        CallSessionService headerAuth = CallSessionService.builder(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1/min")))
                .authenticator(request -> request.context().header("X-User").orElse(null))
                .build();
        try (headerAuth) {
            CallChatHttp limited = new CallChatHttp(headerAuth);
            java.util.function.Function<String, Integer> loginAs = user -> limited.handle(new Call("POST", "/login",
                    Map.of("Content-Type", "application/json", "X-User", user), "{}")).status();

            assertThat(loginAs.apply("carol")).isEqualTo(200);
            assertThat(loginAs.apply("dave")).as("another user behind the same proxy").isEqualTo(200);
            assertThat(loginAs.apply("carol")).as("carol's second login within the minute").isEqualTo(429);
        }
    }

    private static String text(HttpReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    /** A request as an adapter would present it. */
    private static class Call implements HttpCall {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final String body;

        Call(String method, String path, Map<String, String> headers, String body) {
            this.method = method;
            this.path = path;
            this.headers.putAll(headers);
            this.body = body;
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
            return Optional.ofNullable(headers.get(name));
        }

        @Override
        public String remoteAddress() {
            return "192.0.2.1";
        }

        @Override
        public byte[] body() throws BodyTooLargeException {
            return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        }
    }
}

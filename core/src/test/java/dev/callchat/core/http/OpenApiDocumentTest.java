package dev.callchat.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document that core serves describes what core really answers: real replies validate against it. */
class OpenApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallSessionService service = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")));
    private final CallChatHttp http = new CallChatHttp(service, "dev/callchat/core/http/assets/");
    private final JsonNode document = read(http.handle(new Call("GET", "/openapi.json", Map.of(), null)));

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void theDocumentIsServedAsOpenApi31Json() {
        HttpReply reply = http.handle(new Call("GET", "/openapi.json", Map.of(), null));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.path("paths").fieldNames()).toIterable()
                .contains("/login", "/api/login", "/health", "/", "/openapi.json", "/local/ws");
    }

    @Test
    void everyReferenceInTheDocumentResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    @Test
    void aRealLoginMatchesTheLoginResponseSchema() {
        HttpReply reply = http.handle(postJson("/login", "{\"username\":\"ana\",\"room\":\"My Room\"}"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(violations("LoginResponse", read(reply))).isEmpty();
        assertThat(documentedStatuses("/login")).contains("200");
    }

    @Test
    void aRealLoginWithStunAndTurnMatchesTheLoginResponseSchema() {
        try (CallSessionService withIce = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off",
                "CALLCHAT_ICE_SERVERS", "stun:stun.example.org,turn:turn.example.org?transport=tcp",
                "CALLCHAT_TURN_SECRET", "openapi-test-turn-secret-0123")))) {
            HttpReply reply = new CallChatHttp(withIce, "dev/callchat/testing/contract/assets/")
                    .handle(postJson("/login", "{\"username\":\"ana\"}"));

            JsonNode login = read(reply);
            assertThat(login.get("ice_servers")).hasSize(2);
            assertThat(violations("LoginResponse", login)).isEmpty();
        }
    }

    @Test
    void aRealHealthReplyMatchesTheHealthSchema() {
        HttpReply reply = http.handle(new Call("GET", "/health", Map.of(), null));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(violations("Health", read(reply))).isEmpty();
    }

    @Test
    void realProbeRepliesMatchTheProbeSchemaAndTheirStatusesAreDocumented() {
        HttpReply live = http.handle(new Call("GET", "/health/live", Map.of(), null));
        HttpReply ready = http.handle(new Call("GET", "/health/ready", Map.of(), null));
        http.drain();
        HttpReply draining = http.handle(new Call("GET", "/health/ready", Map.of(), null));

        assertThat(live.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(draining.status()).isEqualTo(503);
        for (HttpReply reply : List.of(live, ready, draining)) {
            assertThat(violations("Probe", read(reply))).isEmpty();
        }
        assertThat(documentedStatuses("/health/ready")).contains("200", "503");
        assertThat(documentedStatuses("/metrics")).contains("200", "404");
    }

    @Test
    void theSchemaCheckCanFail() {
        ObjectNode login = (ObjectNode) read(http.handle(postJson("/login", "{\"username\":\"ana\"}")));
        login.put("secret", "leaked").put("chat", "yes");

        assertThat(violations("LoginResponse", login)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void realProblemRepliesMatchTheProblemSchemaAndTheirStatusIsDocumented() {
        Map<String, HttpCall> failures = Map.of(
                "400", postJson("/login", "{\"username\":"),
                "401", postJson("/login", "{}"),
                "404", new Call("GET", "/nothing-here.js", Map.of(), null),
                "405", new Call("GET", "/login", Map.of(), null),
                "413", postJson("/login", "{\"username\":\"" + "a".repeat(5000) + "\"}"),
                "415", new Call("POST", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded"), "username=ana"));
        failures.forEach((status, call) -> {
            HttpReply reply = http.handle(call);
            String path = status.equals("404") ? "/" : "/login";
            assertThat(reply.status()).as(status).isEqualTo(Integer.parseInt(status));
            assertThat(reply.headers()).as(status).containsEntry("Content-Type", "application/problem+json");
            assertThat(violations("Problem", read(reply))).as(status).isEmpty();
            assertThat(documentedStatuses(path)).as(path).contains(status);
        });
    }

    @Test
    void aRateLimitedLoginCarriesTheDocumentedRetryAfter() {
        HttpReply reply;
        try (CallSessionService limited = CallSessionService.create(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1/h")))) {
            CallChatHttp limitedHttp = new CallChatHttp(limited);
            limitedHttp.handle(postJson("/login", "{\"username\":\"ana\"}"));
            reply = limitedHttp.handle(postJson("/login", "{\"username\":\"ana\"}"));
        }

        assertThat(reply.status()).isEqualTo(429);
        assertThat(violations("Problem", read(reply))).isEmpty();
        JsonNode documented = document.at("/components/responses/TooManyRequests/headers/Retry-After");
        assertThat(documented.isMissingNode()).isFalse();
        assertThat(reply.headers().get("Retry-After")).matches("^[1-9][0-9]*$");
    }

    @ParameterizedTest
    @EnumSource(value = ErrorKind.class, names = {"NOT_FOUND", "FORBIDDEN"}, mode = EnumSource.Mode.EXCLUDE)
    void everyErrorKindALoginCanMeetIsDocumentedForLogin(ErrorKind kind) {
        assertThat(documentedStatuses("/login")).contains(Integer.toString(kind.status()));
    }

    private List<String> documentedStatuses(String path) {
        JsonNode operation = document.path("paths").path(path);
        JsonNode responses = (operation.has("post") ? operation.path("post") : operation.path("get")).path("responses");
        List<String> statuses = new ArrayList<>();
        responses.fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }

    /** Validates against one of the document's component schemas, with format assertions on. */
    private Set<ValidationMessage> violations(String schemaName, JsonNode instance) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$ref", "#/$defs/" + schemaName);
        // OpenAPI points into components/schemas; a plain JSON Schema keeps its definitions in $defs.
        String defs = document.path("components").path("schemas").toString().replace("#/components/schemas/", "#/$defs/");
        schema.set("$defs", read(defs));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        JsonSchema compiled = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
        return compiled.validate(instance);
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static Call postJson(String path, String body) {
        return new Call("POST", path, Map.of("Content-Type", "application/json"), body);
    }

    private static JsonNode read(HttpReply reply) {
        return read(new String(reply.body(), StandardCharsets.UTF_8));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** A request as an adapter would present it. */
    private record Call(String method, String rawPath, Map<String, String> headerMap, String text) implements HttpCall {
        @Override
        public Optional<String> header(String name) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(headerMap);
            return Optional.ofNullable(headers.get(name));
        }

        @Override
        public String remoteAddress() {
            return "192.0.2.1";
        }

        @Override
        public byte[] body() throws BodyTooLargeException {
            byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > CallChatHttp.MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return bytes;
        }
    }
}

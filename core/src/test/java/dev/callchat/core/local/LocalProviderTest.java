package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalProviderTest {
    private static final String SECRET = "a-local-secret-of-at-least-32-bytes!";
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void loginReturnsAChatEnabledLocalSession() {
        try (CallSessionService calls = CallSessionService.builder(Config.defaults()).clock(clock).build()) {
            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));

            assertThat(session.provider()).isEqualTo("local");
            assertThat(calls.providerName()).isEqualTo("local");
            assertThat(session.chat()).isTrue();
            assertThat(session.conversationSid()).matches("CH[0-9a-f]{32}");
            assertThat(session.identity()).isEqualTo("ana");
            assertThat(session.room()).isEqualTo("My Room");
            assertThat(session.expiresAt()).isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
            assertThat(calls.localHub()).isPresent();
        }
    }

    @Test
    void conversationSidIsStablePerRoomAndDistinctAcrossRooms() {
        try (CallSessionService calls = CallSessionService.builder(Config.defaults()).clock(clock).build()) {
            String first = calls.login(LoginRequest.of("ana", "My Room")).conversationSid();
            String again = calls.login(LoginRequest.of("bob", "My Room")).conversationSid();
            String refresh = calls.login(LoginRequest.of("ana", "My Room")).conversationSid();
            String other = calls.login(LoginRequest.of("ana", "Other Room")).conversationSid();

            assertThat(again).isEqualTo(first);
            assertThat(refresh).isEqualTo(first);
            assertThat(other).isNotEqualTo(first).matches("CH[0-9a-f]{32}");
        }
    }

    @Test
    void configuredSecretSignsTheTokenWithAServiceSidGrant() throws Exception {
        Config config = Config.from(Map.of("CALLCHAT_LOCAL_SECRET", SECRET));
        try (CallSessionService calls = CallSessionService.builder(config).clock(clock).build()) {
            CallSession session = calls.login(LoginRequest.of("ana", null));

            byte[] payload = Jwts.parser()
                    .verifyWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)))
                    .build().parseSignedContent(session.token()).getPayload();
            JsonNode grants = new ObjectMapper().readTree(payload).path("grants");
            assertThat(grants.path("video").path("room").asText()).isEqualTo("My Room");
            assertThat(grants.path("chat").path("service_sid").asText()).matches("IS[0-9a-f]{32}");
        }
    }

    @Test
    void loginTokenOpensTheHub() {
        try (CallSessionService calls = CallSessionService.builder(Config.defaults()).clock(clock).build()) {
            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));
            FakePeer peer = FakePeer.inline("ana");

            calls.localHub().orElseThrow().connect(peer).onText(HubFixture.auth(session.token()));

            JsonNode welcome = peer.last("welcome");
            assertThat(welcome.path("identity").asText()).isEqualTo("ana");
            assertThat(welcome.path("room").asText()).isEqualTo("My Room");
            assertThat(welcome.path("chat").asBoolean()).isTrue();
        }
    }

    @Test
    void closingTheServiceClosesTheHub() {
        CallSessionService calls = CallSessionService.builder(Config.defaults()).clock(clock).build();
        FakePeer peer = FakePeer.inline("pending");
        calls.localHub().orElseThrow().connect(peer);

        calls.close();

        assertThat(peer.closeCode()).isEqualTo(1001);
    }

    @Test
    void randomSecretsDifferPerProcess() {
        try (CallSessionService one = CallSessionService.builder(Config.defaults()).clock(clock).build();
             CallSessionService two = CallSessionService.builder(Config.defaults()).clock(clock).build()) {
            CallSession session = one.login(LoginRequest.of("ana", "My Room"));
            FakePeer peer = FakePeer.inline("ana");

            two.localHub().orElseThrow().connect(peer).onText(HubFixture.auth(session.token()));

            assertThat(peer.closeCode()).isEqualTo(4401);
        }
    }
}

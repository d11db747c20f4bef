package dev.callchat.twilio;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.TokenIssuer.IssuedToken;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilioExtension;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.SignatureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The access token a Twilio login returns, decoded and verified with jjwt. */
@ExtendWith(FakeTwilioExtension.class)
class TwilioTokenTest {
    private FakeTwilio fake;

    @BeforeEach
    void start(FakeTwilio fake) {
        this.fake = fake;
    }

    @Test
    void theTokenIsATwilioAccessTokenSignedWithTheApiKeySecret() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));

            TokenClaims token = TokenClaims.verify(session.token());
            assertThat(token.header()).containsEntry("alg", "HS256").containsEntry("cty", "twilio-fpa;v=1");
            assertThat(token.claims()).containsEntry("iss", FakeTwilio.API_KEY_SID)
                    .containsEntry("sub", FakeTwilio.ACCOUNT_SID);
            assertThat(token.identity()).isEqualTo("ana");
            assertThat(token.videoRoom()).isEqualTo("My Room");
            assertThat(token.chatServiceSid()).isEqualTo(FakeTwilio.DEFAULT_SERVICE_SID);
            assertThat(token.expiresAt()).isEqualTo(session.expiresAt());
        }
    }

    @Test
    void aTokenDoesNotVerifyWithAnotherSecret() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            String jwt = calls.login(LoginRequest.of("ana", "My Room")).token();

            assertThatThrownBy(() -> Jwts.parser()
                    .verifyWith(Keys.hmacShaKeyFor("another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8)))
                    .build()
                    .parseSignedContent(jwt))
                    .isInstanceOf(SignatureException.class);
        }
    }

    @Test
    void aVideoOnlyTokenHasNoChatGrant() {
        Provider provider = TwilioProvider.create(fake.config(), Clock.systemUTC());
        try {
            IssuedToken issued = provider.tokens().issue("ana", "My Room", null);

            TokenClaims token = TokenClaims.verify(issued.jwt());
            assertThat(token.grants()).containsOnlyKeys("identity", "video");
            assertThat(token.videoRoom()).isEqualTo("My Room");
            assertThat(token.expiresAt()).isEqualTo(issued.expiresAt());
        } finally {
            close(provider);
        }
    }

    @Test
    void theChatGrantNamesTheChatroomsService() {
        Provider provider = TwilioProvider.create(fake.config(), Clock.systemUTC());
        try {
            Chatroom chatroom = new Chatroom("My Room", "CH" + "1".repeat(32), "IS" + "2".repeat(32));

            TokenClaims token = TokenClaims.verify(provider.tokens().issue("ana", "My Room", chatroom).jwt());

            assertThat(token.chatServiceSid()).isEqualTo("IS" + "2".repeat(32));
        } finally {
            close(provider);
        }
    }

    @Test
    void theTokenLivesAsLongAsConfigured() {
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of("CALLCHAT_TOKEN_TTL", "10m"))) {
            Instant before = Instant.now();
            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));

            assertThat(session.expiresAt()).isCloseTo(before.plus(Duration.ofMinutes(10)), within(Duration.ofMinutes(1)));
            assertThat(TokenClaims.verify(session.token()).expiresAt()).isEqualTo(session.expiresAt());
        }
    }

    @Test
    void theDefaultLifetimeIsOneHour() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            Instant before = Instant.now();

            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));

            assertThat(session.expiresAt()).isCloseTo(before.plus(Duration.ofHours(1)), within(Duration.ofMinutes(1)));
        }
    }

    @Test
    void aNormalizedUnicodeIdentityIsTheTokensIdentity() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("  Jose\u0301 🎉 ", "My Room"));

            assertThat(TokenClaims.verify(session.token()).identity()).isEqualTo("José 🎉");
            assertThat(fake.participants(session.conversationSid())).containsExactly("José 🎉");
        }
    }

    @Test
    void theSessionsToStringHidesTheToken() {
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));

            assertThat(session.toString()).doesNotContain(session.token());
        }
    }

    private static void close(Provider provider) {
        try {
            provider.resources().close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.TokenIssuer.IssuedToken;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTokensTest {
    private static final Chatroom ROOM = new Chatroom("My Room", "CH" + "a".repeat(32), "IS" + "b".repeat(32));

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-11-25T10:00:00.750Z"), ZoneOffset.UTC);
    private final LocalTokens tokens = new LocalTokens(HubFixture.KEY, Duration.ofMinutes(30), clock, new SecureRandom());

    @Test
    void tokenVerifiesWithTheSecretAndHasTwilioShapedClaims() {
        IssuedToken token = tokens.issue("ana", "My Room", ROOM);

        Jws<byte[]> jws = verified(token.jwt());

        // jjwt reports a compact cty with "application/" in front (RFC 7515 4.1.10); the wire has Twilio's form.
        assertThat(jws.getHeader().getContentType()).isEqualTo("application/twilio-fpa;v=1");
        assertThat(rawHeader(token.jwt()).path("cty").asText()).isEqualTo("twilio-fpa;v=1");
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("HS256");
        assertThat(jws.getHeader().getType()).isEqualTo("JWT");
        JsonNode claims = claims(token.jwt());
        assertThat(claims.path("jti").asText()).startsWith("callchat-local-");
        assertThat(claims.path("iss").asText()).isEqualTo("callchat-local");
        assertThat(claims.path("sub").asText()).isEqualTo("callchat-local");
        assertThat(claims.path("iat").asLong()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z").getEpochSecond());
        assertThat(claims.path("grants").toString()).isEqualTo("{\"identity\":\"ana\",\"video\":{\"room\":\"My Room\"},"
                + "\"chat\":{\"service_sid\":\"" + ROOM.chatServiceSid() + "\"}}");
    }

    @Test
    void expiryClaimEqualsExpiresAt() {
        IssuedToken token = tokens.issue("ana", "My Room", ROOM);

        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-11-25T10:30:00Z"));
        assertThat(claims(token.jwt()).path("exp").asLong()).isEqualTo(token.expiresAt().getEpochSecond());
    }

    @Test
    void videoOnlyTokenHasNoChatGrant() {
        IssuedToken token = tokens.issue("ana", "My Room", null);

        assertThat(claims(token.jwt()).path("grants").has("chat")).isFalse();
        assertThat(tokens.verify(token.jwt())).contains(new Grant("ana", "My Room", false));
    }

    @Test
    void everyTokenHasItsOwnId() {
        assertThat(claims(tokens.issue("ana", "My Room", ROOM).jwt()).path("jti"))
                .isNotEqualTo(claims(tokens.issue("ana", "My Room", ROOM).jwt()).path("jti"));
    }

    @Test
    void verifyReturnsTheGrantUntilExpiry() {
        String jwt = tokens.issue("ana", "My Room", ROOM).jwt();

        assertThat(tokens.verify(jwt)).contains(new Grant("ana", "My Room", true));
        clock.add(Duration.ofMinutes(31));
        assertThat(tokens.verify(jwt)).isEmpty();
    }

    @Test
    void tamperedTokenDoesNotVerify() {
        String jwt = tokens.issue("ana", "My Room", ROOM).jwt();
        String[] parts = jwt.split("\\.");
        String otherPayload = tokens.issue("root", "My Room", ROOM).jwt().split("\\.")[1];

        assertThat(tokens.verify(parts[0] + "." + otherPayload + "." + parts[2])).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void tokenIsNotPrinted() {
        IssuedToken token = tokens.issue("ana", "My Room", ROOM);

        assertThat(token.toString()).doesNotContain(token.jwt());
    }

    private static Jws<byte[]> verified(String jwt) {
        return Jwts.parser().verifyWith(HubFixture.KEY).build().parseSignedContent(jwt);
    }

    private static JsonNode rawHeader(String jwt) {
        try {
            return new ObjectMapper().readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode claims(String jwt) {
        try {
            return new ObjectMapper().readTree(verified(jwt).getPayload());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

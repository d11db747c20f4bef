package dev.callchat.twilio;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.testing.FakeTwilio;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A Twilio access token, signature-verified with jjwt (HS256, the fake's API key secret) and picked
 * apart. Twilio's header {@code cty: twilio-fpa;v=1} makes jjwt treat the payload as opaque content
 * rather than claims, so the claims are read from the verified bytes with Jackson.
 */
record TokenClaims(Map<String, Object> header, Map<String, Object> claims) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TokenClaims verify(String jwt) {
        Jws<byte[]> jws = Jwts.parser()
                .verifyWith(Keys.hmacShaKeyFor(FakeTwilio.API_KEY_SECRET.getBytes(StandardCharsets.UTF_8)))
                .build()
                .parseSignedContent(jwt);
        try {
            return new TokenClaims(Map.copyOf(jws.getHeader()),
                    JSON.readValue(jws.getPayload(), new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> grants() {
        return (Map<String, Object>) claims.get("grants");
    }

    String identity() {
        return (String) grants().get("identity");
    }

    @SuppressWarnings("unchecked")
    String videoRoom() {
        return (String) ((Map<String, Object>) grants().get("video")).get("room");
    }

    @SuppressWarnings("unchecked")
    String chatServiceSid() {
        Map<String, Object> chat = (Map<String, Object>) grants().get("chat");
        return chat == null ? null : (String) chat.get("service_sid");
    }

    Instant expiresAt() {
        return Instant.ofEpochSecond(((Number) claims.get("exp")).longValue());
    }
}

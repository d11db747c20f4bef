package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.TokenIssuer;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Signs and verifies the local provider's tokens: HS256 JWTs shaped like a Twilio access token
 * (header {@code cty: twilio-fpa;v=1}, a {@code grants} claim with {@code identity}, {@code video.room}
 * and {@code chat.service_sid}), so the browser code reads both kinds alike.
 */
final class LocalTokens implements TokenIssuer, TokenVerifier {
    /** Issuer and subject: deliberately not Twilio SIDs, so a local token is never mistaken for a Twilio one. */
    static final String ISSUER = "callchat-local";
    static final String CONTENT_TYPE = "twilio-fpa;v=1";
    private final ObjectMapper json = new ObjectMapper();

    private final SecretKey key;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random;

    LocalTokens(SecretKey key, Duration ttl, Clock clock, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public IssuedToken issue(String identity, String videoRoom, Chatroom chatroom) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(videoRoom, "videoRoom");
        // JWT times are whole seconds: truncate so expiresAt equals the exp claim exactly.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl);
        Map<String, Object> grants = new LinkedHashMap<>();
        grants.put("identity", identity);
        grants.put("video", Map.of("room", videoRoom));
        if (chatroom != null) {
            grants.put("chat", Map.of("service_sid", chatroom.chatServiceSid()));
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String jwt = Jwts.builder()
                .header().add("cty", CONTENT_TYPE).type("JWT").and()
                .id(ISSUER + "-" + HexFormat.of().formatHex(nonce))
                .issuer(ISSUER)
                .subject(ISSUER)
                .issuedAt(Date.from(now))
                .expiration(Date.from(expiresAt))
                .claim("grants", grants)
                .signWith(key, Jwts.SIG.HS256)
                .compact();
        return new IssuedToken(jwt, expiresAt);
    }

    @Override
    public Optional<VerifiedToken> verified(String jwt) {
        return claims(jwt).map(c -> new VerifiedToken(c.grant().identity(), c.grant().room(), c.expiresAt()));
    }

    @Override
    public Optional<Grant> verify(String token) {
        return claims(token).map(Claims::grant);
    }

    /** What a valid token says. */
    private record Claims(Grant grant, Instant expiresAt) {
    }

    private Optional<Claims> claims(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            // A cty header makes jjwt treat the payload as opaque content rather than claims (RFC 7515), so it
            // checks the signature and we check the claims: issuer, expiry and the grants' shape.
            byte[] payload = Jwts.parser().verifyWith(key).build().parseSignedContent(token).getPayload();
            JsonNode claims = json.readTree(payload);
            JsonNode grants = claims.path("grants");
            JsonNode identity = grants.path("identity");
            JsonNode room = grants.path("video").path("room");
            if (!ISSUER.equals(claims.path("iss").asText()) || !claims.path("exp").isIntegralNumber()
                    || !identity.isTextual() || !room.isTextual()) {
                return Optional.empty();
            }
            Instant expiresAt = Instant.ofEpochSecond(claims.path("exp").asLong());
            if (!clock.instant().isBefore(expiresAt)) {
                return Optional.empty();
            }
            return Optional.of(new Claims(new Grant(identity.asText(), room.asText(), grants.path("chat").isObject()),
                    expiresAt));
        } catch (JwtException | IllegalArgumentException | IOException e) {
            // Tampered, signed with another process's secret, or not a JWT: all mean "log in again".
            return Optional.empty();
        }
    }
}

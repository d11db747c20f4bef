package dev.callchat.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.jwt.accesstoken.AccessToken;
import com.twilio.jwt.accesstoken.ChatGrant;
import com.twilio.jwt.accesstoken.VideoGrant;
import dev.callchat.core.config.TwilioCredentials;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.TokenIssuer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Twilio access tokens: {@link VideoGrant} for the room, plus {@link ChatGrant} for the
 * Conversations service when chat is on. Signed with the API key secret (HS256).
 *
 * <p>twilio-java's {@code AccessToken} stamps {@code exp} from the system clock and offers no way
 * to pass ours (its only time input, {@code nbf}, we leave unset: a not-before from a server whose
 * clock runs ahead of Twilio's makes fresh tokens fail). So {@code expiresAt} is read back from the
 * signed token's {@code exp}: the two can never disagree.
 */
final class TwilioTokenIssuer implements TokenIssuer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TwilioCredentials credentials;
    private final byte[] secret;
    private final int ttlSeconds;

    TwilioTokenIssuer(TwilioCredentials credentials, Duration ttl) {
        this.credentials = credentials;
        this.secret = credentials.apiKeySecret().utf8();
        this.ttlSeconds = Math.toIntExact(ttl.toSeconds());
    }

    @Override
    public IssuedToken issue(String identity, String videoRoom, Chatroom chatroom) {
        AccessToken.Builder token = new AccessToken.Builder(credentials.accountSid(), credentials.apiKeySid(), secret)
                .identity(identity)
                .ttl(ttlSeconds)
                .grant(new VideoGrant().setRoom(videoRoom));
        if (chatroom != null) {
            token.grant(new ChatGrant().setServiceSid(chatroom.chatServiceSid()));
        }
        String jwt = token.build().toJwt();
        return new IssuedToken(jwt, expiry(jwt));
    }

    /**
     * Checks a token this issuer signed (HS256 with our API key secret, issued by our API key), so host
     * actions are authorized from the caller's own token. twilio-java stamps {@code exp} from the system
     * clock, so expiry is checked against it too.
     */
    @Override
    public java.util.Optional<VerifiedToken> verified(String jwt) {
        if (jwt == null || jwt.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            // The cty header makes jjwt treat the payload as content: it checks the signature, we check the claims.
            byte[] payload = io.jsonwebtoken.Jwts.parser()
                    .verifyWith(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"))
                    .build().parseSignedContent(jwt).getPayload();
            JsonNode claims = JSON.readTree(payload);
            JsonNode grants = claims.path("grants");
            JsonNode identity = grants.path("identity");
            JsonNode room = grants.path("video").path("room");
            if (!credentials.apiKeySid().equals(claims.path("iss").asText()) || !claims.path("exp").isIntegralNumber()
                    || !identity.isTextual() || !room.isTextual()) {
                return java.util.Optional.empty();
            }
            Instant expiresAt = Instant.ofEpochSecond(claims.path("exp").asLong());
            if (!Instant.now().isBefore(expiresAt)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new VerifiedToken(identity.asText(), room.asText(), expiresAt));
        } catch (io.jsonwebtoken.JwtException | IllegalArgumentException | IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static Instant expiry(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return Instant.ofEpochSecond(claims.get("exp").asLong());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("twilio-java produced an access token without a readable exp claim", e);
        }
    }
}

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

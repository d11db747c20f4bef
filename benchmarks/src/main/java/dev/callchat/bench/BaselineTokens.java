package dev.callchat.bench;

import com.twilio.jwt.accesstoken.AccessToken;
import com.twilio.jwt.accesstoken.ChatGrant;
import com.twilio.jwt.accesstoken.VideoGrant;
import dev.callchat.core.spi.TokenIssuer;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * The least code that produces each provider's token with the same libraries: JMH's baselines, so
 * the report shows what core's issuers add on top of jjwt and twilio-java themselves.
 */
final class BaselineTokens {
    private BaselineTokens() {
    }

    /** jjwt HS256 with the Twilio claim shape, nothing else. */
    static TokenIssuer jjwt(String secret, Duration ttl, Clock clock) {
        SecretKey key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
        return (identity, videoRoom, chatroom) -> {
            Instant now = clock.instant();
            Instant expires = now.plus(ttl);
            String jwt = Jwts.builder()
                    .header().add("cty", "twilio-fpa;v=1").and()
                    .id(UUID.randomUUID().toString())
                    .issuer("callchat-local")
                    .subject("callchat-local")
                    .issuedAt(Date.from(now))
                    .expiration(Date.from(expires))
                    .claim("grants", Map.of("identity", identity, "video", Map.of("room", videoRoom),
                            "chat", Map.of("service_sid", chatroom.chatServiceSid())))
                    .signWith(key, Jwts.SIG.HS256)
                    .compact();
            return new TokenIssuer.IssuedToken(jwt, expires);
        };
    }

    /** twilio-java's AccessToken with VideoGrant + ChatGrant, nothing else. */
    static TokenIssuer twilioSdk(String accountSid, String apiKeySid, String apiKeySecret, Duration ttl, Clock clock) {
        byte[] secret = apiKeySecret.getBytes(StandardCharsets.UTF_8);
        int seconds = (int) ttl.toSeconds();
        return (identity, videoRoom, chatroom) -> {
            String jwt = new AccessToken.Builder(accountSid, apiKeySid, secret)
                    .identity(identity)
                    .ttl(seconds)
                    .grant(new VideoGrant().setRoom(videoRoom))
                    .grant(new ChatGrant().setServiceSid(chatroom.chatServiceSid()))
                    .build().toJwt();
            return new TokenIssuer.IssuedToken(jwt, clock.instant().plusSeconds(seconds));
        };
    }
}

package dev.callchat.bench;

import com.twilio.jwt.accesstoken.AccessToken;
import com.twilio.jwt.accesstoken.ChatGrant;
import com.twilio.jwt.accesstoken.VideoGrant;
import dev.callchat.core.Chatroom;
import dev.callchat.core.ChatroomDirectory;
import dev.callchat.core.ParticipantRoster;
import dev.callchat.core.Provider;
import dev.callchat.core.TokenIssuer;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.TwilioCredentials;
import dev.callchat.core.local.LocalProvider;
import dev.callchat.core.twilio.TwilioProvider;
import dev.callchat.testing.FakeTwilio;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers the benchmarks measure: core's own when the branch that builds it is merged, else a
 * stand-in assembled from lambdas with the same shape (in-memory roles, same token claims), so the
 * benchmarks run before every branch has landed. The report says which one was measured.
 */
final class Providers {
    /** The fake Twilio's credentials; only ever sent to the fake on loopback. */
    static final String ACCOUNT_SID = FakeTwilio.ACCOUNT_SID;
    static final String API_KEY_SID = FakeTwilio.API_KEY_SID;
    static final String API_KEY_SECRET = FakeTwilio.API_KEY_SECRET;
    static final String SERVICE_SID = "IS" + "00112233445566778899aabbccddeeff";
    static final String LOCAL_SECRET = "bench-local-secret-0123456789abcdef";

    /** A provider and whether it is the stand-in. */
    record Choice(Provider provider, boolean standIn) {
        String label() {
            return standIn ? provider.name() + " (stand-in: core's provider not merged yet)" : provider.name();
        }
    }

    private Providers() {
    }

    static Config localConfig() {
        return Config.from(Map.of("CALLCHAT_LOCAL_SECRET", LOCAL_SECRET, "CALLCHAT_LOGIN_RATE", "off"));
    }

    /** @param apiBaseUrl where the Twilio provider sends REST calls: the fake Twilio on loopback */
    static Config twilioConfig(String apiBaseUrl) {
        return Config.from(Map.of(
                "TWILIO_ACCOUNT_SID", ACCOUNT_SID,
                "TWILIO_API_KEY_SID", API_KEY_SID,
                "TWILIO_API_KEY_SECRET", API_KEY_SECRET,
                "TWILIO_API_BASE_URL", apiBaseUrl,
                "CALLCHAT_LOGIN_RATE", "off"));
    }

    static Choice local(Config config, Clock clock) {
        try {
            return new Choice(LocalProvider.create(config, clock), false);
        } catch (UnsupportedOperationException notMergedYet) {
            return new Choice(standInLocal(config, clock), true);
        }
    }

    static Choice twilio(Config config, Clock clock) {
        try {
            return new Choice(TwilioProvider.create(config, clock), false);
        } catch (UnsupportedOperationException notMergedYet) {
            return new Choice(new Provider("twilio", unsupportedDirectory(), (room, identity) -> {
            }, twilioTokens(config.twilio().orElseThrow(), config, clock), Optional.empty(), () -> {
            }), true);
        }
    }

    /** @return the choice's label, after releasing its provider */
    static String describe(Choice choice) {
        try {
            choice.provider().resources().close();
        } catch (Exception e) {
            // only its label is needed
        }
        return choice.label();
    }

    private static Provider standInLocal(Config config, Clock clock) {
        Map<String, Chatroom> rooms = new ConcurrentHashMap<>();
        Set<String> enrolled = ConcurrentHashMap.newKeySet();
        ChatroomDirectory directory = new ChatroomDirectory() {
            @Override
            public Chatroom findOrCreate(String roomName) {
                return rooms.computeIfAbsent(roomName, r -> new Chatroom(r, "CH" + hex32(), "IS" + hex32()));
            }

            @Override
            public void evict(String roomName) {
                rooms.remove(roomName);
            }
        };
        ParticipantRoster roster = (chatroom, identity) -> enrolled.add(chatroom.conversationSid() + '\n' + identity);
        return new Provider("local", directory, roster, localTokens(config, clock), Optional.empty(), () -> {
        });
    }

    /** HS256 with the Twilio claim shape, as DESIGN section 1 describes the local provider's tokens. */
    private static TokenIssuer localTokens(Config config, Clock clock) {
        SecretKey key = Keys.hmacShaKeyFor(config.localSecret().orElse(LOCAL_SECRET).getBytes(StandardCharsets.UTF_8));
        return (identity, videoRoom, chatroom) -> {
            Instant now = clock.instant();
            Instant expires = now.plus(config.tokenTtl());
            Map<String, Object> grants = chatroom == null
                    ? Map.of("identity", identity, "video", Map.of("room", videoRoom))
                    : Map.of("identity", identity, "video", Map.of("room", videoRoom),
                    "chat", Map.of("service_sid", chatroom.chatServiceSid()));
            String jwt = Jwts.builder()
                    .header().add("cty", "twilio-fpa;v=1").and()
                    .id(UUID.randomUUID().toString())
                    .issuer("callchat-local")
                    .subject("local")
                    .issuedAt(Date.from(now))
                    .expiration(Date.from(expires))
                    .claim("grants", grants)
                    .signWith(key, Jwts.SIG.HS256)
                    .compact();
            return new TokenIssuer.IssuedToken(jwt, expires);
        };
    }

    private static TokenIssuer twilioTokens(TwilioCredentials credentials, Config config, Clock clock) {
        byte[] secret = credentials.apiKeySecret().getBytes(StandardCharsets.UTF_8);
        int ttl = (int) config.tokenTtl().toSeconds();
        return (identity, videoRoom, chatroom) -> {
            Instant expires = clock.instant().plusSeconds(ttl);
            AccessToken.Builder token = new AccessToken.Builder(credentials.accountSid(), credentials.apiKeySid(), secret)
                    .identity(identity)
                    .ttl(ttl)
                    .grant(new VideoGrant().setRoom(videoRoom));
            if (chatroom != null) {
                token.grant(new ChatGrant().setServiceSid(chatroom.chatServiceSid()));
            }
            return new TokenIssuer.IssuedToken(token.build().toJwt(), expires);
        };
    }

    private static ChatroomDirectory unsupportedDirectory() {
        return new ChatroomDirectory() {
            @Override
            public Chatroom findOrCreate(String roomName) {
                throw new UnsupportedOperationException("the Twilio provider is not merged yet");
            }

            @Override
            public void evict(String roomName) {
            }
        };
    }

    private static String hex32() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}

package dev.callchat.core.local;

import dev.callchat.core.config.Config;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.UploadLimits;
import io.jsonwebtoken.security.Keys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/** Builds the embedded local provider: in-memory chatrooms, HS256 tokens, and the {@link LocalRoomHub}. */
public final class LocalProvider {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProvider.class);

    private LocalProvider() {
    }

    /**
     * @param config configuration (no Twilio credentials needed)
     * @param clock  time source
     * @return the provider, with the hub's {@linkplain HubLimits#defaults() default limits}
     */
    public static Provider create(Config config, Clock clock) {
        return create(config, clock, HubLimits.defaults());
    }

    /**
     * @param config configuration; {@link Config#localSecret()} signs tokens, else a random per-process secret
     * @param clock  time source for token expiry and chat timestamps
     * @param limits the hub's limits
     * @return the provider; closing its resources closes the hub
     */
    public static Provider create(Config config, Clock clock, HubLimits limits) {
        return create(config, clock, limits, new CompositeMeterRegistry());
    }

    /**
     * @param config configuration; {@link Config#localSecret()} signs tokens, else a random per-process secret
     * @param clock  time source for token expiry and chat timestamps
     * @param limits the hub's limits
     * @param meters where the hub records rooms, members, frames, slow-consumer closes and shared-file bytes
     * @return the provider; closing its resources closes the hub
     */
    public static Provider create(Config config, Clock clock, HubLimits limits, MeterRegistry meters) {
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(limits, "limits");
        LOG.warn("local provider: single process, for development and demos (configure Twilio credentials for production)");
        if (config.iceServers().isEmpty()) {
            LOG.info("local provider: no ICE servers, so calls connect on one machine or a LAN only"
                    + " (set CALLCHAT_ICE_SERVERS and CALLCHAT_TURN_SECRET for calls across networks)");
        } else {
            LOG.info("local provider: ICE servers {}", config.iceServers()); // toString redacts the TURN secret
        }
        SecureRandom random = new SecureRandom();
        SecretKey key = config.localSecret()
                .map(secret -> Keys.hmacShaKeyFor(secret.utf8()))
                .orElseGet(() -> {
                    byte[] secret = new byte[32];
                    random.nextBytes(secret);
                    return Keys.hmacShaKeyFor(secret);
                });
        LocalTokens tokens = new LocalTokens(key, config.tokenTtl(), clock, random);
        // Rooms nobody is in are forgotten one token lifetime after their last use: no login can refer to them then.
        LocalChatrooms chatrooms = new LocalChatrooms(LocalChatrooms.sid("IS", random), random, config.tokenTtl(), clock);
        LocalRoomHub hub = new LocalRoomHub(limits,
                UploadLimits.forMaxFile(config.maxUploadBytes(), config.memberUploadQuotaBytes()), tokens, clock,
                Deadlines.daemon(), chatrooms);
        HubMeters.register(hub, meters);
        return new Provider("local", chatrooms, chatrooms, tokens, Optional.of(hub), hub::close);
    }
}

package dev.callchat.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code CALLCHAT_ICE_SERVERS} and {@code CALLCHAT_TURN_SECRET}: validated together, credentials per session. */
class IceServersConfigTest {
    private static final String SECRET = "turn-secret-for-tests-0123456789";

    private static Config config(String urls, String secret) {
        return secret == null ? Config.from(Map.of("CALLCHAT_ICE_SERVERS", urls))
                : Config.from(Map.of("CALLCHAT_ICE_SERVERS", urls, "CALLCHAT_TURN_SECRET", secret));
    }

    @Test
    void noneByDefault() {
        assertThat(Config.defaults().iceServers().isEmpty()).isTrue();
        assertThat(Config.defaults().iceServers().forSession("ana", Instant.EPOCH)).isEmpty();
    }

    @Test
    void stunAloneNeedsNoSecretAndComesWithoutCredentials() {
        IceServers ice = config("stun:stun.example.org:3478", null).iceServers();

        assertThat(ice.forSession("ana", Instant.ofEpochSecond(1795604400)))
                .containsExactly(new IceServer(List.of("stun:stun.example.org:3478"), null, null));
    }

    @Test
    void turnCredentialsFollowTheTurnRestApiScheme() {
        IceServers ice = config("stun:turn.example.org, turn:turn.example.org:3478?transport=udp TURNS:Turn.Example.org:5349",
                SECRET).iceServers();

        List<IceServer> servers = ice.forSession("ana", Instant.ofEpochSecond(1795604400));

        // Expected value from: printf '%s' 1795604400:ana | openssl dgst -sha1 -hmac "$SECRET" -binary | base64
        assertThat(servers).containsExactly(
                new IceServer(List.of("stun:turn.example.org"), null, null),
                new IceServer(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"),
                        "1795604400:ana", "GoKQtBze/Ji+xxemrShTY59bI3c="));
    }

    @Test
    void credentialsChangeWithTheExpiryAndTheIdentity() {
        IceServers ice = config("turn:127.0.0.1:3478", SECRET).iceServers();
        Instant expiry = Instant.ofEpochSecond(1795604400);

        IceServer ana = ice.forSession("ana", expiry).get(0);
        IceServer later = ice.forSession("ana", expiry.plusSeconds(3600)).get(0);
        IceServer ben = ice.forSession("ben", expiry).get(0);

        assertThat(later.username()).isEqualTo("1795608000:ana");
        assertThat(later.credential()).isNotEqualTo(ana.credential());
        assertThat(ben.credential()).isNotEqualTo(ana.credential());
    }

    @Test
    void aTurnUrlWithoutTheSecretIsRefusedNamingTheSecret() {
        assertThatThrownBy(() -> config("turn:turn.example.org", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_TURN_SECRET: is missing");
    }

    @Test
    void aSecretWithoutATurnUrlIsRefused() {
        assertThatThrownBy(() -> config("stun:stun.example.org", SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_TURN_SECRET: is set but CALLCHAT_ICE_SERVERS lists no turn:");
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_TURN_SECRET", SECRET)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_TURN_SECRET:");
    }

    @Test
    void aShortSecretIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> config("turn:turn.example.org", "tooshort-9876"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_TURN_SECRET: must be at least 16 characters")
                .hasMessageNotContaining("tooshort-9876");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://turn.example.org", "turn.example.org:3478", "turn:", "turn:user:pass@turn.example.org",
            "stun:stun.example.org?transport=udp", "turn:turn.example.org:99999", "turn:turn.example.org?transport=sctp",
            "turn:-bad-.example.org"})
    void malformedUrlsAreRefusedInOneLine(String url) {
        assertThatThrownBy(() -> config(url, SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_ICE_SERVERS: ")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void ipv6HostsAndUppercaseSchemesAreAccepted() {
        IceServers ice = config("STUN:[2001:db8::1]:3478,turn:[::1]", SECRET).iceServers();

        assertThat(ice.stunUrls()).containsExactly("stun:[2001:db8::1]:3478");
        assertThat(ice.turnUrls()).containsExactly("turn:[::1]");
    }

    @Test
    void tooManyUrlsAreRefused() {
        String urls = String.join(",", java.util.Collections.nCopies(IceServers.MAX_URLS + 1, "stun:stun.example.org"));

        assertThatThrownBy(() -> config(urls, null)).hasMessageStartingWith("CALLCHAT_ICE_SERVERS: lists 17 URLs");
    }

    @Test
    void neitherToStringPrintsTheSecretOrACredential() {
        Config config = config("turn:turn.example.org", SECRET);
        IceServer turn = config.iceServers().forSession("ana", Instant.ofEpochSecond(1795604400)).get(0);

        assertThat(config.toString()).contains("turn:turn.example.org").doesNotContain(SECRET);
        assertThat(config.iceServers().toString()).doesNotContain(SECRET);
        assertThat(turn.toString()).contains("1795604400:ana").doesNotContain(turn.credential());
    }
}

package dev.callchat.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code CALLCHAT_ALLOWED_ORIGINS} and {@code CALLCHAT_BODY_DEADLINE}. */
class OriginsConfigTest {
    @Test
    void noOriginIsAllowedBesidesTheServersOwnByDefault() {
        assertThat(Config.defaults().allowedOrigins()).isEmpty();
    }

    @Test
    void allowedOriginsAreKeptAsBrowsersSerializeThem() {
        Config config = Config.from(Map.of("CALLCHAT_ALLOWED_ORIGINS",
                "https://Chat.Example.com:443, http://localhost:3000/ ,https://[::1]:8443"));

        assertThat(config.allowedOrigins())
                .containsExactlyInAnyOrder("https://chat.example.com", "http://localhost:3000", "https://[::1]:8443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat.example.com", "https://chat.example.com/path", "ftp://chat.example.com", "null",
            "https://user@chat.example.com", "https://chat.example.com?x=1"})
    void somethingThatIsNotAnOriginIsNamedInTheError(String value) {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_ALLOWED_ORIGINS", value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CALLCHAT_ALLOWED_ORIGINS");
    }

    @Test
    void bodyDeadlineDefaultsToTenSecondsAndCanBeSet() {
        assertThat(Config.defaults().bodyDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Config.from(Map.of("CALLCHAT_BODY_DEADLINE", "2s")).bodyDeadline()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_BODY_DEADLINE", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CALLCHAT_BODY_DEADLINE");
    }
}

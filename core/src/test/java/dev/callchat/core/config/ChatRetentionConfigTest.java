package dev.callchat.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRetentionConfigTest {
    @Test
    void defaultsToSevenDays() {
        assertThat(Config.defaults().chatRetention()).isEqualTo(Duration.ofDays(7));
    }

    @ParameterizedTest
    @CsvSource({"10m, PT10M", "12h, PT12H", "1d, PT24H", "30d, PT720H", "365d, PT8760H", "3600, PT1H"})
    void acceptsDurationsFromTenMinutesToAYear(String value, Duration expected) {
        assertThat(Config.from(Map.of("CALLCHAT_CHAT_RETENTION", value)).chatRetention()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9m", "0", "366d", "forever", "P1D", "-1d"})
    void refusesAnythingElseNamingTheVariable(String value) {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_CHAT_RETENTION", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CALLCHAT_CHAT_RETENTION");
    }
}

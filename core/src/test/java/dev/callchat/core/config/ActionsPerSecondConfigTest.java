package dev.callchat.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionsPerSecondConfigTest {
    @Test
    void defaultsToTwiliosThirtyPerConversation() {
        assertThat(Config.defaults().conversationActionsPerSecond()).isEqualTo(30);
    }

    @Test
    void acceptsARaisedLimit() {
        assertThat(Config.from(Map.of("CALLCHAT_TWILIO_ACTIONS_PER_SECOND", "100")).conversationActionsPerSecond())
                .isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "thirty", "1.5", "1000001"})
    void refusesAnythingButAPositiveWholeNumber(String value) {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_TWILIO_ACTIONS_PER_SECOND", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CALLCHAT_TWILIO_ACTIONS_PER_SECOND");
    }
}

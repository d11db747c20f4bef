package dev.callchat.examples;

import dev.callchat.core.CallSession;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlainJavaTest {
    @Test
    void aServiceBuiltFromDefaultConfigLogsAUserIntoTheRoom() {
        CallSession session = PlainJava.loginOnce(Config.defaults());

        assertThat(session.identity()).isEqualTo("ana");
        assertThat(session.room()).isEqualTo("My Room");
        assertThat(session.provider()).isEqualTo("local");
        assertThat(session.chat()).isTrue();
        assertThat(session.token()).isNotBlank();
        assertThat(session.toString()).doesNotContain(session.token());
    }
}

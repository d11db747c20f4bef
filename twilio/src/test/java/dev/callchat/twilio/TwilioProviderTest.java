package dev.callchat.twilio;

import dev.callchat.core.CallChatException;
import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.spi.Provider;
import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwilioProviderTest {

    @Test
    void aServiceBuiltFromConfigAloneUsesTwilio() {
        try (FakeTwilio fake = FakeTwilio.start();
             CallSessionService calls = CallSessionService.create(fake.config())) {
            CallSession session = calls.login(LoginRequest.of("ana", null));

            assertThat(calls.providerName()).isEqualTo("twilio");
            assertThat(calls.localHub()).isEmpty();
            assertThat(session.provider()).isEqualTo("twilio");
            assertThat(session.room()).isEqualTo("My Room");
            assertThat(session.conversationSid()).isEqualTo(fake.conversationSid("My Room").orElseThrow());
        }
    }

    @Test
    void withoutCredentialsTheProviderRefusesToStart() {
        assertThatThrownBy(() -> TwilioProvider.create(Config.defaults(), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TWILIO_ACCOUNT_SID");
    }

    @Test
    void aProviderUsedAfterCloseFailsWithACleanServiceUnavailable() throws Exception {
        try (FakeTwilio fake = FakeTwilio.start()) {
            Provider provider = TwilioProvider.create(fake.config(), Clock.systemUTC());
            provider.resources().close();

            assertThatThrownBy(() -> provider.chatrooms().findOrCreate("Room"))
                    .isInstanceOfSatisfying(CallChatException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE));
        }
    }
}

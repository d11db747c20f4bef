package dev.callchat.twilio;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilio.Fault;
import dev.callchat.testing.FakeTwilio.Route;
import dev.callchat.testing.FakeTwilioExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twilio Video and Conversations are separate REST APIs: with room events on, a login creates its room's Video room
 * first (best effort) until Twilio has it. A Video outage must not open the breaker that guards chat, and Video's own
 * breaker keeps logins from asking a Video API that is down.
 */
@ExtendWith(FakeTwilioExtension.class)
class VideoOutageTest {
    @Test
    void aVideoApiOutageLeavesChatWorking(FakeTwilio fake) {
        fake.failAlways(Route.CREATE_ROOM, Fault.serverError());
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of("CALLCHAT_LOGIN_RATE", "off",
                "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN, "CALLCHAT_PUBLIC_URL", "https://calls.example.test"))) {
            // A token refresh costs no Conversations call, but it asks again for the Video room that failed: twice
            // the breaker's window of failed Video calls, and nothing else.
            for (int i = 0; i < 2 * TwilioFixture.FAST.breakerWindow(); i++) {
                assertThat(calls.login(LoginRequest.of("ana", "Standup")).chat()).as("ana's login " + i).isTrue();
            }

            CallSession bob = calls.login(LoginRequest.of("bob", "Standup"));

            assertThat(bob.chat()).as("a new member's chat, which needs Conversations").isTrue();
            assertThat(fake.participants(bob.conversationSid())).contains("ana", "bob");
            // Video's own breaker opened: later logins stopped asking a Video API that was down.
            assertThat(fake.calls(Route.CREATE_ROOM)).as("attempts to create the Video room, over "
                    + (2 * TwilioFixture.FAST.breakerWindow() + 1) + " logins").isPositive()
                    .isLessThan(2 * TwilioFixture.FAST.breakerWindow() + 1);
        }
    }
}

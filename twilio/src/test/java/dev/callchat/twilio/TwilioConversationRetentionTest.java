package dev.callchat.twilio;

import dev.callchat.core.CallChatException;
import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.IdentityPolicy;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilio.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Conversation lifecycle against a fake that keeps Twilio's timers and limits on the same injected
 * clock as callchat: conversations close after the retention, a room whose conversation closed gets
 * chat again, an identity past Twilio's per-identity cap gets chat again once old rooms close, and a
 * room never reaches a conversation that is not its own.
 */
class TwilioConversationRetentionTest {
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
    private FakeTwilio fake;
    private CallSessionService calls;

    @BeforeEach
    void start() {
        fake = FakeTwilio.start(clock);
        calls = TwilioFixture.service(fake, Map.of("CALLCHAT_CHAT_RETENTION", "1h"), clock, TwilioFixture.FAST);
    }

    @AfterEach
    void stop() {
        calls.close();
        fake.close();
    }

    @Test
    void conversationsAreCreatedToCloseAfterTheRetention() {
        CallSession ana = calls.login(LoginRequest.of("ana", "Standup"));

        assertThat(fake.closedTimer(ana.conversationSid())).contains(Duration.ofHours(1));
    }

    @Test
    void theDefaultRetentionIsSevenDays() {
        try (CallSessionService defaults = TwilioFixture.service(fake, Map.of(), clock, TwilioFixture.FAST)) {
            CallSession ana = defaults.login(LoginRequest.of("ana", "Weekly"));

            assertThat(fake.closedTimer(ana.conversationSid())).contains(Config.DEFAULT_CHAT_RETENTION);
        }
    }

    @Test
    void aRoomReusedAfterItsConversationClosedGetsWorkingChatAgain() {
        CallSession first = calls.login(LoginRequest.of("ana", "Standup"));
        clock.add(Duration.ofHours(1));
        assertThat(fake.state(first.conversationSid())).contains("closed");

        CallSession bob = calls.login(LoginRequest.of("bob", "Standup"));
        CallSession ana = calls.login(LoginRequest.of("ana", "Standup"));

        assertThat(bob.chat()).isTrue();
        assertThat(bob.conversationSid()).isNotEqualTo(first.conversationSid())
                .isEqualTo(fake.conversationSid("Standup").orElseThrow());
        assertThat(fake.state(bob.conversationSid())).contains("active");
        assertThat(ana.conversationSid()).isEqualTo(bob.conversationSid());
        assertThat(fake.participants(bob.conversationSid())).containsExactlyInAnyOrder("ana", "bob");
        assertThat(fake.calls(Route.DELETE_CONVERSATION)).isEqualTo(1);
    }

    @Test
    void aConversationClosedByHandWhileCachedIsReplacedOnTheNextEnrollment() {
        CallSession ana = calls.login(LoginRequest.of("ana", "Standup"));
        fake.closeConversation("Standup");

        CallSession bob = calls.login(LoginRequest.of("bob", "Standup"));

        assertThat(bob.chat()).isTrue();
        assertThat(bob.conversationSid()).isNotEqualTo(ana.conversationSid());
        assertThat(fake.participants(bob.conversationSid())).containsExactly("bob");
    }

    @Test
    void aCachedRoomIsLookedUpAgainOnceItsConversationHasClosed() {
        CallSession first = calls.login(LoginRequest.of("ana", "Standup"));
        clock.add(Duration.ofHours(1));

        // Ana's enrollment is remembered, but only for the conversation that has now closed.
        CallSession refresh = calls.login(LoginRequest.of("ana", "Standup"));

        assertThat(refresh.conversationSid()).isNotEqualTo(first.conversationSid());
        assertThat(fake.participants(refresh.conversationSid())).containsExactly("ana");
    }

    @Test
    void anIdentityPastTheUserConversationCapGetsChatAgainOnceOldRoomsClose() {
        fake.userConversationLimit(2);
        assertThat(calls.login(LoginRequest.of("ana", "Room A")).chat()).isTrue();
        assertThat(calls.login(LoginRequest.of("ana", "Room B")).chat()).isTrue();
        // Twilio's 50214: still a working (video-only) login rather than an error.
        assertThat(calls.login(LoginRequest.of("ana", "Room C")).chat()).isFalse();

        clock.add(Duration.ofHours(1));

        assertThat(calls.login(LoginRequest.of("ana", "Room C")).chat()).isTrue();
        assertThat(calls.login(LoginRequest.of("ana", "Room A")).chat()).isTrue();
    }

    @Test
    void aSidShapedRoomIsRefusedEvenWhenAReplacedIdentityPolicyLetsItThrough() {
        String sid = calls.login(LoginRequest.of("alice", "Private Board Room")).conversationSid();
        Config config = fake.config();
        try (CallSessionService permissive = CallSessionService.builder(config).clock(clock)
                .identityPolicy(new AnyRoom())
                .provider(TwilioProvider.create(config, clock, TwilioFixture.FAST))
                .build()) {

            assertThatThrownBy(() -> permissive.login(LoginRequest.of("mallory", sid)))
                    .isInstanceOfSatisfying(CallChatException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
        }
        assertThat(fake.participants(sid)).containsExactly("alice");
    }

    /** A policy that lets every room name through, as an integrator's might. */
    private static final class AnyRoom implements IdentityPolicy {
        @Override
        public String identity(String raw) {
            return raw;
        }

        @Override
        public String room(String raw) {
            return raw;
        }
    }
}

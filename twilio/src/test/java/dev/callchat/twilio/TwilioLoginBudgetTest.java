package dev.callchat.twilio;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.testing.FakeTwilio.Route;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilioExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API-call budget of a login (docs/architecture.md, "The login path"), whatever the account holds: the fake is seeded with
 * 0 or 1,000 other conversations, and the counters are the witness.
 */
@ExtendWith(FakeTwilioExtension.class)
class TwilioLoginBudgetTest {
    private FakeTwilio fake;

    @BeforeEach
    void start(FakeTwilio fake) {
        this.fake = fake;
    }

    @ParameterizedTest(name = "{0} existing conversations")
    @ValueSource(ints = {0, 1_000})
    void firstLoginToANewRoomCostsAtMostThreeCalls(int existing) {
        fake.seedConversations(existing, "other-room-");
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "New Room"));

            assertThat(session.chat()).isTrue();
            assertThat(session.conversationSid()).isEqualTo(fake.conversationSid("New Room").orElseThrow());
            report("first login to a new room", existing);
            assertThat(fake.totalCalls()).isLessThanOrEqualTo(3);
            assertThat(fake.calls(Route.LIST_CONVERSATIONS)).isZero();
        }
    }

    @ParameterizedTest(name = "{0} existing conversations")
    @ValueSource(ints = {0, 1_000})
    void firstLoginOfANewUserToAKnownRoomOnAFreshServiceCostsAtMostTwoCalls(int existing) {
        fake.seedConversations(existing, "other-room-");
        String sid = fake.createConversation("Known Room");
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ben", "Known Room"));

            assertThat(session.conversationSid()).isEqualTo(sid);
            report("new user, known room, fresh service", existing);
            assertThat(fake.totalCalls()).isLessThanOrEqualTo(2);
            assertThat(fake.calls(Route.LIST_CONVERSATIONS)).isZero();
            assertThat(fake.participants(sid)).containsExactly("ben");
        }
    }

    @ParameterizedTest(name = "{0} existing conversations")
    @ValueSource(ints = {0, 1_000})
    void warmLoginOfANewUserCostsExactlyOneCall(int existing) {
        fake.seedConversations(existing, "other-room-");
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            calls.login(LoginRequest.of("ana", "Warm Room"));
            fake.resetCounters();

            CallSession session = calls.login(LoginRequest.of("carla", "Warm Room"));

            assertThat(session.chat()).isTrue();
            report("warm login of a new user", existing);
            assertThat(fake.totalCalls()).isEqualTo(1);
            assertThat(fake.calls(Route.CREATE_PARTICIPANT)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} existing conversations")
    @ValueSource(ints = {0, 1_000})
    void refreshOfTheSameUserCostsNoCall(int existing) {
        fake.seedConversations(existing, "other-room-");
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession first = calls.login(LoginRequest.of("ana", "Warm Room"));
            fake.resetCounters();

            CallSession refreshed = calls.login(LoginRequest.of("ana", "Warm Room"));

            assertThat(refreshed.conversationSid()).isEqualTo(first.conversationSid());
            assertThat(refreshed.chat()).isTrue();
            report("refresh of the same user", existing);
            assertThat(fake.totalCalls()).isZero();
        }
    }

    @Test
    void rememberedRoomsAndEnrollmentsExpireWithTheInjectedClock() {
        MutableClock clock = MutableClock.of(Instant.now(), ZoneOffset.UTC);
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of(), clock, TwilioFixture.FAST)) {
            calls.login(LoginRequest.of("ana", "Warm Room"));
            clock.add(Duration.ofMinutes(31));
            fake.resetCounters();

            calls.login(LoginRequest.of("ana", "Warm Room"));

            // looked up again, and "already a participant" (409) is success
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(1);
            assertThat(fake.calls(Route.CREATE_PARTICIPANT)).isEqualTo(1);
            assertThat(fake.calls(Route.CREATE_CONVERSATION)).isZero();
        }
    }

    /** Printed so the numbers can be quoted; the assertions are what hold them. */
    private void report(String what, int existing) {
        System.out.printf("budget: %-40s existing=%5d list=%d fetch=%d create=%d participant=%d total=%d%n", what,
                existing, fake.calls(Route.LIST_CONVERSATIONS), fake.calls(Route.FETCH_CONVERSATION),
                fake.calls(Route.CREATE_CONVERSATION), fake.calls(Route.CREATE_PARTICIPANT), fake.totalCalls());
    }
}

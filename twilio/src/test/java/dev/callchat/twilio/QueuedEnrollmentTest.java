package dev.callchat.twilio;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ChatStatus;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.spi.Provider;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilio.Route;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logins beyond a conversation's pace get their token at once with chat pending, and their
 * enrollment completes from the pacer's queue. The pacer runs on a hand-driven clock; the fake
 * Twilio's actions-per-second limit counts on a mutable clock, so no verdict depends on real time.
 */
class QueuedEnrollmentTest {
    private static final long MS = 1_000_000L;
    private static final String ROOM = "Town Hall";

    private FakeTwilio fake;
    private final MutableClock twilioClock = MutableClock.of(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private final ManualTime pacerTime = new ManualTime();
    private final AtomicReference<CircuitBreaker> breaker = new AtomicReference<>();

    @BeforeEach
    void start() {
        fake = FakeTwilio.start().actionsClock(twilioClock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private CallSessionService service() {
        return service(pacerTime);
    }

    private CallSessionService service(ManualTime time) {
        Config config = fake.config();
        TwilioProvider.Pacing pacing = new TwilioProvider.Pacing(ConversationPacer.Settings.forLimit(30), time,
                time, time.directExecutor());
        Provider provider = TwilioProvider.create(config, Clock.systemUTC(), TwilioFixture.FAST, breaker::set, pacing);
        return CallSessionService.builder(config).provider(provider).build();
    }

    @Test
    void aLoginBeyondThePaceGetsItsTokenAtOnceAndItsChatFollows() {
        try (CallSessionService calls = service()) {
            CallSession ana = calls.login(LoginRequest.of("ana", ROOM));
            CallSession ben = calls.login(LoginRequest.of("ben", ROOM));
            CallSession cleo = calls.login(LoginRequest.of("cleo", ROOM));
            String sid = ana.conversationSid();

            assertThat(ana.chatStatus()).isEqualTo(ChatStatus.READY);
            assertThat(ben.chatStatus()).isEqualTo(ChatStatus.READY);
            assertThat(cleo.chatStatus()).isEqualTo(ChatStatus.PENDING);
            assertThat(cleo.chat()).isTrue();
            assertThat(cleo.conversationSid()).isEqualTo(sid);
            assertThat(TokenClaims.verify(cleo.token()).grants()).containsKey("chat");
            assertThat(fake.participants(sid)).containsExactlyInAnyOrder("ana", "ben");

            // A second login while queued does not queue twice.
            assertThat(calls.login(LoginRequest.of("cleo", ROOM)).chatStatus()).isEqualTo(ChatStatus.PENDING);
            pacerTime.advance(100 * MS);

            assertThat(fake.participants(sid)).containsExactlyInAnyOrder("ana", "ben", "cleo");
            assertThat(fake.calls(Route.CREATE_PARTICIPANT)).isEqualTo(3);
            fake.resetCounters();
            assertThat(calls.login(LoginRequest.of("cleo", ROOM)).chatStatus()).isEqualTo(ChatStatus.READY);
            assertThat(fake.totalCalls()).as("a completed enrollment is remembered: refresh costs nothing").isZero();
        }
    }

    @Test
    void anEnrollmentQueuedWhenItsInstanceStoppedIsRedoneByTheNextLogin() {
        String sid;
        try (CallSessionService first = service()) {
            first.login(LoginRequest.of("ana", ROOM));
            first.login(LoginRequest.of("ben", ROOM));
            CallSession cleo = first.login(LoginRequest.of("cleo", ROOM));
            sid = cleo.conversationSid();
            assertThat(cleo.chatStatus()).isEqualTo(ChatStatus.PENDING);
        }
        // The stopped instance's timer never fires again: its queue is gone.
        assertThat(pacerTime.pending()).isPositive();
        assertThat(fake.participants(sid)).doesNotContain("cleo");

        try (CallSessionService restarted = service(new ManualTime())) {
            CallSession again = restarted.login(LoginRequest.of("cleo", ROOM));

            assertThat(again.chatStatus()).isEqualTo(ChatStatus.READY);
            assertThat(fake.participants(sid)).contains("cleo");
        }
    }

    @Test
    void aTooManyRequestsFromTwilioQueuesTheEnrollmentSlowsDownAndNeverOpensTheBreaker() {
        // Another instance used the conversation's rate: Twilio allows only 1 action in this second.
        fake.actionsPerSecond(1);
        try (CallSessionService calls = service()) {
            CallSession ana = calls.login(LoginRequest.of("ana", ROOM));
            for (String user : new String[] {"ben", "cleo", "dan", "eve", "finn", "gus", "hal", "ida", "jo", "kim", "lu"}) {
                calls.login(LoginRequest.of(user, ROOM));
                pacerTime.advance(40 * MS);
            }
            String sid = ana.conversationSid();

            assertThat(ana.chatStatus()).isEqualTo(ChatStatus.READY);
            assertThat(fake.throttled(Route.CREATE_PARTICIPANT)).isPositive();
            assertThat(breaker.get().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breaker.get().getMetrics().getNumberOfFailedCalls()).isZero();
            assertThat(fake.participants(sid)).containsExactly("ana");

            // Twilio's second passes: the queue drains, in order, at the adapted rate.
            for (int i = 0; i < 20; i++) {
                twilioClock.add(Duration.ofSeconds(1));
                pacerTime.advance(1_000 * MS);
            }
            assertThat(fake.participants(sid)).hasSize(12);
        }
    }
}

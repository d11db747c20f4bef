package dev.callchat.twilio;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.testing.FakeTwilio.Fault;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilioExtension;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker through a whole outage: it opens after sustained failures, logins then
 * degrade to video-only without reaching Twilio, and it closes again once Twilio recovers. Time
 * moves only when the test moves the clock; states are read from the breaker itself.
 */
@ExtendWith(FakeTwilioExtension.class)
class CircuitBreakerRecoveryTest {
    private static final Duration OPEN_WAIT = Duration.ofSeconds(30);
    private static final int MINIMUM_CALLS = 5;

    private final MutableClock clock = MutableClock.of(Instant.now(), ZoneOffset.UTC);
    private FakeTwilio fake;
    private CallSessionService calls;
    private CircuitBreaker breaker;

    @BeforeEach
    void start(FakeTwilio fake) {
        this.fake = fake;
        Config config = fake.config(Map.of("CALLCHAT_UPSTREAM_TIMEOUT", "1s", "CALLCHAT_LOGIN_DEADLINE", "5s"));
        ReliabilityAccess.WatchedProvider watched = ReliabilityAccess.create(config, clock, 3, Duration.ofMillis(1),
                10, MINIMUM_CALLS, OPEN_WAIT);
        breaker = watched.breaker();
        calls = CallSessionService.builder(config).clock(clock).provider(watched.provider()).build();
    }

    @AfterEach
    void stop() {
        calls.close();
    }

    @Test
    void sustainedFailuresOpenTheCircuit() {
        fake.failAlways(Fault.unavailable());

        int logins = openTheCircuit();

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        assertThat(logins).isEqualTo(MINIMUM_CALLS);
    }

    @Test
    void whileOpenLoginsAreVideoOnlyAndNeverReachTwilio() {
        fake.failAlways(Fault.unavailable());
        openTheCircuit();
        int reached = fake.totalCalls();

        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            CallSession session = calls.login(LoginRequest.of("late" + i, "Room " + (i % 7)));
            assertThat(session.chat()).isFalse();
            assertThat(session.token()).isNotBlank();
        }
        long micros = (System.nanoTime() - started) / 1000;

        assertThat(fake.totalCalls()).isEqualTo(reached);
        assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isGreaterThanOrEqualTo(200);
        System.out.printf("[reliability] circuit open: 200 video-only logins, 0 upstream calls, %d us per login%n",
                micros / 200);
    }

    @Test
    void itStaysOpenUntilItsWaitHasPassedOnTheClock() {
        fake.failAlways(Fault.unavailable());
        openTheCircuit();
        fake.clearFaults();

        clock.add(OPEN_WAIT.minusSeconds(1));
        CallSession session = calls.login(LoginRequest.of("ana", "Room"));

        assertThat(session.chat()).isFalse();
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        assertThat(fake.totalCalls()).isEqualTo(MINIMUM_CALLS * 3);
    }

    @Test
    void afterItsWaitOneSuccessfulTrialClosesItAndChatIsBack() {
        fake.failAlways(Fault.unavailable());
        openTheCircuit();
        fake.clearFaults();

        clock.add(OPEN_WAIT.plusSeconds(1));
        CallSession session = calls.login(LoginRequest.of("ana", "Room"));

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(session.chat()).isTrue();
        assertThat(fake.participants(session.conversationSid())).containsExactly("ana");
    }

    @Test
    void aFailedTrialReopensItForAnotherWaitWithOneUpstreamCall() {
        fake.failAlways(Fault.unavailable());
        openTheCircuit();
        int reached = fake.totalCalls();

        clock.add(OPEN_WAIT.plusSeconds(1));
        CallSession trial = calls.login(LoginRequest.of("ana", "Room"));
        CallSession next = calls.login(LoginRequest.of("ben", "Room"));

        assertThat(trial.chat()).isFalse();
        assertThat(next.chat()).isFalse();
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        // The trial is one call, retries included (3 attempts); the login after it is refused at once.
        assertThat(fake.totalCalls()).isEqualTo(reached + 3);
    }

    @Test
    void sporadicFailuresThatRetriesAbsorbNeverOpenIt() {
        fake.randomFaults(new FakeTwilio.FaultMix(0.10, 0, 0.10, 0, Duration.ZERO, 0, 0, 3L));

        for (int i = 0; i < 300; i++) {
            calls.login(LoginRequest.of("user" + i, "Room " + (i % 5)));
        }

        assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isZero();
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
    }

    /** @return how many failing logins it took; one failed call (3 attempts) per login, as the room never loads */
    private int openTheCircuit() {
        int logins = 0;
        while (breaker.getState() != State.OPEN && logins < 50) {
            assertThat(calls.login(LoginRequest.of("ana" + logins, "Down Room")).chat()).isFalse();
            logins++;
        }
        return logins;
    }
}

package dev.callchat.twilio;

import dev.callchat.core.CallChatException;
import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.LoginRequest;
import dev.callchat.testing.FakeTwilio.Fault;
import dev.callchat.testing.FakeTwilio.Route;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilioExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** How a login behaves when Twilio misbehaves; the fake's counters show what reached Twilio. */
@ExtendWith(FakeTwilioExtension.class)
class TwilioFaultTest {
    private static final Map<String, String> CHAT_REQUIRED = Map.of("CALLCHAT_CHAT_REQUIRED", "true");

    private FakeTwilio fake;

    @BeforeEach
    void start(FakeTwilio fake) {
        this.fake = fake;
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfterAndSucceeds() {
        fake.failNext(Route.FETCH_CONVERSATION, 1, Fault.tooManyRequests(1));
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "Busy Room"));

            assertThat(session.chat()).isTrue();
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(2);
        }
    }

    @Test
    void aRetryAfterBeyondTheCapIsPassedOnInsteadOfWaitedFor() {
        fake.failNext(Route.FETCH_CONVERSATION, 1, Fault.tooManyRequests(120));
        try (CallSessionService calls = TwilioFixture.service(fake, CHAT_REQUIRED)) {
            CallChatException e = catchThrowableOfType(CallChatException.class,
                    () -> calls.login(LoginRequest.of("ana", "Busy Room")));

            assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(1);
        }
    }

    @Test
    void aServerErrorIsRetriedAndSucceeds() {
        fake.failNext(Route.CREATE_PARTICIPANT, 1, Fault.serverError());
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "Flaky Room"));

            assertThat(session.chat()).isTrue();
            assertThat(fake.calls(Route.CREATE_PARTICIPANT)).isEqualTo(2);
            assertThat(fake.participants(session.conversationSid())).containsExactly("ana");
        }
    }

    @Test
    void twilioJavaDoesNotRetryBehindOurBack() {
        Resilience noRetries = new Resilience(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10), 10, 5, 50f, Duration.ofSeconds(30), 8);
        fake.failNext(Route.FETCH_CONVERSATION, 5, Fault.unavailable());
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of(), MutableClock.of(Instant.now(), ZoneOffset.UTC), noRetries)) {
            calls.login(LoginRequest.of("ana", "Down Room"));

            // twilio-java's reliableRequest would have made 3.
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(1);
        }
    }

    @Test
    void persistentUnavailabilityDegradesToAVideoOnlyToken() {
        fake.failAlways(Fault.unavailable());
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "Down Room"));

            assertThat(session.chat()).isFalse();
            assertThat(session.conversationSid()).isNull();
            assertThat(session.room()).isEqualTo("Down Room");
            TokenClaims token = TokenClaims.verify(session.token());
            assertThat(token.videoRoom()).isEqualTo("Down Room");
            assertThat(token.grants()).doesNotContainKey("chat");
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isEqualTo(TwilioFixture.FAST.maxAttempts());
        }
    }

    @Test
    void persistentUnavailabilityIsA503WithRetryAfterWhenChatIsRequired() {
        fake.failAlways(Fault.unavailable());
        try (CallSessionService calls = TwilioFixture.service(fake, CHAT_REQUIRED)) {
            CallChatException e = catchThrowableOfType(CallChatException.class,
                    () -> calls.login(LoginRequest.of("ana", "Down Room")));

            assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
            assertThat(e.kind().status()).isEqualTo(503);
            assertThat(e.retryAfter()).isPresent();
            assertThat(e.detail()).contains("Twilio Conversations is unavailable").contains("HTTP 503");
        }
    }

    @Test
    void rejectedCredentialsAreUpstreamRejectedAndNotRetried() {
        fake.failNext(Route.FETCH_CONVERSATION, 1, Fault.credentialsRejected());
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            assertThatThrownBy(() -> calls.login(LoginRequest.of("ana", "Any Room")))
                    .isInstanceOfSatisfying(CallChatException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_REJECTED);
                        assertThat(e.detail()).isEqualTo("Twilio rejected the configured API key; check "
                                + "TWILIO_ACCOUNT_SID/TWILIO_API_KEY_SID/TWILIO_API_KEY_SECRET");
                    });
            assertThat(fake.totalCalls()).isEqualTo(1);
        }
    }

    @Test
    void aWrongApiKeySecretIsRejectedWithoutRevealingIt() {
        String wrongSecret = "not-the-secret-not-the-secret-xx";
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of("TWILIO_API_KEY_SECRET", wrongSecret))) {
            CallChatException e = catchThrowableOfType(CallChatException.class,
                    () -> calls.login(LoginRequest.of("ana", "Any Room")));

            assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_REJECTED);
            assertThat(fake.rejectedCredentials()).isEqualTo(1);
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(wrongSecret);
            }
        }
    }

    @Test
    void anotherClientErrorDegradesToVideoOnlyWithoutRetrying() {
        fake.failNext(Route.CREATE_CONVERSATION, 1, new Fault.Status(400, 50100, "Invalid unique name", null));
        try (CallSessionService calls = TwilioFixture.service(fake)) {
            CallSession session = calls.login(LoginRequest.of("ana", "Odd Room"));

            assertThat(session.chat()).isFalse();
            assertThat(fake.calls(Route.CREATE_CONVERSATION)).isEqualTo(1);
        }
    }

    @Test
    void anotherClientErrorIsAClearServiceUnavailableWhenChatIsRequired() {
        fake.failNext(Route.CREATE_CONVERSATION, 1, new Fault.Status(400, 50100, "Invalid unique name", null));
        try (CallSessionService calls = TwilioFixture.service(fake, CHAT_REQUIRED)) {
            CallChatException e = catchThrowableOfType(CallChatException.class,
                    () -> calls.login(LoginRequest.of("ana", "Odd Room")));

            assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
            assertThat(e.detail()).isEqualTo("Twilio refused to create the conversation (HTTP 400, Twilio error 50100)");
        }
    }

    @Test
    void aStalledUpstreamIsCutByTheLoginDeadline() {
        fake.failAlways(Fault.stall(Duration.ofSeconds(60)));
        Map<String, String> tight = Map.of("CALLCHAT_UPSTREAM_TIMEOUT", "300ms", "CALLCHAT_LOGIN_DEADLINE", "1s");
        try (CallSessionService calls = TwilioFixture.service(fake, tight)) {
            CallSession session = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> calls.login(LoginRequest.of("ana", "Stuck Room")));

            assertThat(session.chat()).isFalse();
            assertThat(fake.calls(Route.FETCH_CONVERSATION)).isBetween(1, TwilioFixture.FAST.maxAttempts());
        }
    }

    @Test
    void aStalledUpstreamIsA503NamingTheDeadlineWhenChatIsRequired() {
        fake.failAlways(Fault.stall(Duration.ofSeconds(60)));
        Map<String, String> tight = Map.of("CALLCHAT_UPSTREAM_TIMEOUT", "5s", "CALLCHAT_LOGIN_DEADLINE", "500ms",
                "CALLCHAT_CHAT_REQUIRED", "true");
        try (CallSessionService calls = TwilioFixture.service(fake, tight)) {
            CallChatException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> catchThrowableOfType(
                    CallChatException.class, () -> calls.login(LoginRequest.of("ana", "Stuck Room"))));

            assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
            assertThat(e.detail()).contains("500ms login deadline");
        }
    }

    @Test
    void theCircuitOpensAfterSustainedFailuresSoLaterLoginsDoNotCallTwilio() {
        MutableClock clock = MutableClock.of(Instant.now(), ZoneOffset.UTC);
        fake.failAlways(Fault.unavailable());
        try (CallSessionService calls = TwilioFixture.service(fake, CHAT_REQUIRED, clock, TwilioFixture.FAST)) {
            // FAST: breaker opens after 5 failed calls (each with its retries; one call per failing login).
            for (int i = 0; i < TwilioFixture.FAST.breakerMinimumCalls(); i++) {
                catchThrowableOfType(CallChatException.class, () -> calls.login(LoginRequest.of("ana", "Down Room")));
            }
            int reached = fake.totalCalls();

            CallChatException e = catchThrowableOfType(CallChatException.class,
                    () -> calls.login(LoginRequest.of("ben", "Down Room")));

            assertThat(fake.totalCalls()).isEqualTo(reached);
            assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
            assertThat(e.detail()).contains("circuit open");
            assertThat(e.retryAfter()).contains(TwilioFixture.FAST.breakerOpenWait());
        }
    }

    @Test
    void theCircuitLetsATrialCallThroughAfterItsWaitAndClosesOnSuccess() {
        MutableClock clock = MutableClock.of(Instant.now(), ZoneOffset.UTC);
        fake.failAlways(Fault.unavailable());
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of(), clock, TwilioFixture.FAST)) {
            for (int i = 0; i < TwilioFixture.FAST.breakerMinimumCalls(); i++) {
                calls.login(LoginRequest.of("ana", "Down Room"));
            }
            fake.clearFaults();
            assertThat(calls.login(LoginRequest.of("ana", "Down Room")).chat()).isFalse();

            clock.add(TwilioFixture.FAST.breakerOpenWait().plusSeconds(1));
            CallSession session = calls.login(LoginRequest.of("ana", "Down Room"));

            assertThat(session.chat()).isTrue();
        }
    }

    @Test
    void aFailedLoadIsNotCachedSoTheNextLoginTriesAgain() {
        Resilience patientBreaker = new Resilience(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5),
                Duration.ofSeconds(10), 100, 100, 50f, Duration.ofSeconds(30), 8);
        fake.failNext(Route.FETCH_CONVERSATION, patientBreaker.maxAttempts(), Fault.unavailable());
        try (CallSessionService calls = TwilioFixture.service(fake, Map.of(), MutableClock.of(Instant.now(), ZoneOffset.UTC), patientBreaker)) {
            assertThat(calls.login(LoginRequest.of("ana", "Later Room")).chat()).isFalse();

            CallSession session = calls.login(LoginRequest.of("ana", "Later Room"));

            assertThat(session.chat()).isTrue();
            assertThat(session.conversationSid()).isEqualTo(fake.conversationSid("Later Room").orElseThrow());
        }
    }
}

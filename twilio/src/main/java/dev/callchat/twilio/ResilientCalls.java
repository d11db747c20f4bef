package dev.callchat.twilio;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.config.TwilioCredentials;
import dev.callchat.core.spi.Deadline;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one Twilio operation the way every call should run: one try per attempt (twilio-java's own
 * retries are off), per-attempt timeout {@code min(upstreamTimeout, time left)}, Resilience4j retry
 * with exponential back-off and jitter on 429/5xx/I-O honouring {@code Retry-After}, never sleeping
 * past the login deadline, all behind one circuit breaker that counts a call (with its retries) once. Failures leave as {@link CallChatException}
 * with a clear detail, except {@link UpstreamFailure.Answer}s, which the caller interprets.
 */
final class ResilientCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientCalls.class);
    /** Below this, an attempt cannot plausibly succeed: don't start it. */
    private static final Duration MIN_ATTEMPT = Duration.ofMillis(20);
    static final String REJECTED_DETAIL = "Twilio rejected the configured API key; check TWILIO_ACCOUNT_SID/"
            + "TWILIO_API_KEY_SID/TWILIO_API_KEY_SECRET";

    /** Twilio's rate-limit window: a 429 is retried no sooner than this. */
    private static final Duration RATE_WINDOW = Duration.ofSeconds(1);
    private final TwilioCredentials credentials;
    private final UpstreamHttp http;
    private final Duration upstreamTimeout;
    private final Resilience resilience;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final IntervalFunction backoff;
    private final AtomicBoolean rejectionLogged = new AtomicBoolean();
    private final TwilioMeters meters;

    ResilientCalls(TwilioCredentials credentials, UpstreamHttp http, Duration upstreamTimeout, Resilience resilience,
                   Clock clock) {
        this(credentials, http, upstreamTimeout, resilience, clock, TwilioMeters.none());
    }

    ResilientCalls(TwilioCredentials credentials, UpstreamHttp http, Duration upstreamTimeout, Resilience resilience,
                   Clock clock, TwilioMeters meters) {
        this("conversations", credentials, http, upstreamTimeout, resilience, clock, meters);
    }

    /**
     * @param api which of Twilio's REST APIs these calls go to ({@code conversations}, {@code video}): each has a
     *            breaker of its own, as one can be down while the other works
     */
    ResilientCalls(String api, TwilioCredentials credentials, UpstreamHttp http, Duration upstreamTimeout,
                   Resilience resilience, Clock clock, TwilioMeters meters) {
        this.meters = meters;
        this.credentials = credentials;
        this.http = http;
        this.upstreamTimeout = upstreamTimeout;
        this.resilience = resilience;
        this.clock = clock;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(resilience.initialBackoff(), 2.0, 0.5,
                resilience.maxBackoff());
        this.breaker = CircuitBreaker.of("twilio-" + api, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(resilience.breakerWindow())
                .minimumNumberOfCalls(resilience.breakerMinimumCalls())
                .failureRateThreshold(resilience.breakerFailureRate())
                .waitDurationInOpenState(resilience.breakerOpenWait())
                .permittedNumberOfCallsInHalfOpenState(1)
                // Judged per call after its retries: failed attempts that a retry recovered say Twilio
                // is working, and counting them let 20 % of 429/5xx trip the breaker within seconds.
                // A 429 is Twilio pacing us ("never processed and always safe to retry"), not failing:
                // it must not open the breaker, or a crowd joining one room would cut chat for everyone.
                .recordException(e -> e instanceof UpstreamFailure.Transient t && t.status() != 429
                        || e instanceof UpstreamFailure.DeadlinePassed)
                // A bad API key says nothing about Twilio's health; a paced 429 is handed back to the pacer.
                .ignoreException(e -> e instanceof UpstreamFailure.CredentialsRejected
                        || e instanceof UpstreamFailure.Throttled)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build());
    }

    /** @return the breaker, for logging state changes and tests */
    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * @param what     what the call does, for messages ("create the conversation")
     * @param deadline the login's time budget
     * @param op       the twilio-java call, given a client for one attempt
     * @return the call's result
     * @throws UpstreamFailure.Answer a definite non-success answer (404, 409, other 4xx)
     * @throws CallChatException      SERVICE_UNAVAILABLE or UPSTREAM_REJECTED
     */
    <T> T call(String what, Deadline deadline, Function<TwilioRestClient, T> op) {
        return call(what, deadline, op, false);
    }

    /**
     * As {@link #call(String, Deadline, Function)} for an action under a {@link ConversationPacer}: a
     * 429 is not retried here but thrown as {@link UpstreamFailure.Throttled}, so the pacer slows down and
     * requeues it instead of every caller retrying on its own (retries that multiply under a crowd).
     */
    <T> T callPaced(String what, Deadline deadline, Function<TwilioRestClient, T> op) {
        return call(what, deadline, op, true);
    }

    private <T> T call(String what, Deadline deadline, Function<TwilioRestClient, T> op, boolean paced) {
        AtomicReference<UpstreamFailure.Transient> last = new AtomicReference<>();
        String operation = TwilioMeters.operation(what);
        AtomicInteger tries = new AtomicInteger();
        Supplier<T> attempt = () -> {
            if (tries.getAndIncrement() > 0) {
                meters.retry(operation);
            }
            Duration left = deadline.remaining();
            if (left.compareTo(MIN_ATTEMPT) < 0) {
                throw new UpstreamFailure.DeadlinePassed("no time left to " + what, last.get());
            }
            try {
                return once(op, min(upstreamTimeout, left), operation);
            } catch (UpstreamFailure.Transient e) {
                if (paced && e.status() == 429) {
                    throw new UpstreamFailure.Throttled("HTTP 429 (Twilio's per-conversation rate limit); could not "
                            + what, e);
                }
                throw e;
            }
        };
        Retry retry = Retry.of("twilio", RetryConfig.custom()
                .maxAttempts(resilience.maxAttempts())
                .retryOnException(e -> {
                    if (!(e instanceof UpstreamFailure.Transient failure)) {
                        return false;
                    }
                    last.set(failure);
                    // A Retry-After longer than our cap or than the time left: waiting cannot help this login.
                    return failure.retryAfter()
                            .map(ra -> ra.compareTo(resilience.retryAfterCap()) <= 0
                                    && ra.compareTo(deadline.remaining()) < 0)
                            .orElse(true);
                })
                .intervalBiFunction((attempts, outcome) -> {
                    Duration wait = outcome.isLeft() && outcome.getLeft() instanceof UpstreamFailure.Transient f
                            && f.retryAfter().isPresent()
                            ? f.retryAfter().get()
                            : Duration.ofMillis(backoff.apply(attempts));
                    // Twilio counts actions per second (docs/twilio-limits.md): a 429 retried within the same
                    // second is refused again, whatever Retry-After says (Twilio does not promise one).
                    if (outcome.isLeft() && outcome.getLeft() instanceof UpstreamFailure.Transient f && f.status() == 429
                            && wait.compareTo(RATE_WINDOW) < 0) {
                        wait = RATE_WINDOW;
                    }
                    // Never sleep past the deadline: wake with just too little time left, and the
                    // next attempt reports the deadline (with this failure as its cause).
                    return Math.max(1, min(wait, deadline.remaining()).toMillis());
                })
                .build());
        try {
            return breaker.executeSupplier(Retry.decorateSupplier(retry, attempt));
        } catch (UpstreamFailure.Transient e) {
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Twilio Conversations is unavailable ("
                    + describe(e) + "); could not " + what,
                    e.retryAfter().orElse(resilience.defaultRetryAfter()), e);
        } catch (UpstreamFailure.DeadlinePassed e) {
            UpstreamFailure.Transient cause = last.get();
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Twilio Conversations did not answer within the "
                    + human(deadline.budget()) + " login deadline" + (cause == null ? "" : " (" + describe(cause) + ")")
                    + "; could not " + what, resilience.defaultRetryAfter(), e);
        } catch (CallNotPermittedException e) {
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Twilio Conversations has been failing; not calling it"
                    + " for up to " + human(resilience.breakerOpenWait()) + " (circuit open); could not " + what,
                    resilience.breakerOpenWait(), e);
        } catch (UpstreamFailure.CredentialsRejected e) {
            if (rejectionLogged.compareAndSet(false, true)) {
                LOG.error("{} (account {}, API key {}). Chat logins fail with 502 until this is fixed.", REJECTED_DETAIL,
                        credentials.accountSid(), credentials.apiKeySid());
            }
            throw new CallChatException(ErrorKind.UPSTREAM_REJECTED, REJECTED_DETAIL, null, e);
        } catch (UpstreamFailure.Answer | UpstreamFailure.Throttled e) {
            throw e;
        } catch (RuntimeException e) {
            // A surprise from twilio-java or the HTTP stack (a bug, a closed pool): the log gets the
            // stack trace, the caller a plain 503-kind error (video-only unless chat is required).
            LOG.warn("Unexpected failure while trying to {} on Twilio", what, e);
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Unexpected failure talking to Twilio; could not "
                    + what, resilience.defaultRetryAfter(), e);
        }
    }

    /** One HTTP exchange through twilio-java, classified. */
    private <T> T once(Function<TwilioRestClient, T> op, Duration timeout, String operation) {
        UpstreamHttp.Attempt attempt = http.attempt(timeout);
        TwilioRestClient client = new TwilioRestClient.Builder(credentials.apiKeySid(), credentials.apiKeySecret().reveal())
                .accountSid(credentials.accountSid())
                .httpClient(attempt)
                .build();
        try {
            T result = op.apply(client);
            meters.call(operation, attempt.status() > 0 ? attempt.status() : 200);
            rejectionLogged.set(false);
            return result;
        } catch (ApiConnectionException e) {
            meters.call(operation, attempt.status());
            // No answer (connect/read timeout, reset) or no body to read.
            throw new UpstreamFailure.Transient(attempt.status(), null, e.getMessage(), e);
        } catch (ApiException e) {
            int status = attempt.status() > 0 ? attempt.status()
                    : e.getStatusCode() == null ? -1 : e.getStatusCode();
            meters.call(operation, status);
            Integer code = e.getCode();
            String message = "HTTP " + status + (code == null ? "" : ", Twilio error " + code)
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
            // A 2xx that twilio-java could not parse was cut short on the way (a proxy, a reset mid-body):
            // as transient as a 503, and the retry usually reads it whole.
            if (status >= 200 && status < 300) {
                throw new UpstreamFailure.Transient(status, null, "unreadable answer: " + message, e);
            }
            if (status == 429 || status >= 500) {
                throw new UpstreamFailure.Transient(status, attempt.retryAfter().flatMap(this::retryAfter).orElse(null),
                        message, e);
            }
            if (status == 401 || (code != null && code == 20003)) {
                throw new UpstreamFailure.CredentialsRejected(message, e);
            }
            throw new UpstreamFailure.Answer(status, code, message, e);
        }
    }

    /** {@code Retry-After} is either delta-seconds or an HTTP date. */
    Optional<Duration> retryAfter(String header) {
        String value = header.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(UpstreamFailure.Transient e) {
        return e.status() >= 200 && e.status() < 300 ? "unreadable HTTP " + e.status() + " answer"
                : e.status() > 0 ? "HTTP " + e.status() : "no answer: " + e.getMessage();
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

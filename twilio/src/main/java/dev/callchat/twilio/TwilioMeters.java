package dev.callchat.twilio;

import dev.callchat.core.CallChatMeters;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Twilio provider's meters: REST calls by operation and status class, retries, the breaker's state, and the
 * enrollment queue. Tags take fixed values only; operations are named after the REST resource and verb.
 */
final class TwilioMeters {
    static final String FETCH_CONVERSATION = "conversation.fetch";
    static final String CREATE_CONVERSATION = "conversation.create";
    static final String DELETE_CONVERSATION = "conversation.delete";
    static final String CREATE_PARTICIPANT = "participant.create";
    private static final List<String> OPERATIONS = List.of(FETCH_CONVERSATION, CREATE_CONVERSATION, DELETE_CONVERSATION,
            CREATE_PARTICIPANT);
    private static final List<String> STATUS_CLASSES = List.of("2xx", "4xx", "429", "5xx", "io");

    private final MeterRegistry registry;
    private final Meter.MeterProvider<Counter> calls;
    private final Meter.MeterProvider<Counter> retries;
    private final Timer enrollmentWait;

    TwilioMeters(MeterRegistry registry) {
        this.registry = registry;
        this.calls = Counter.builder(CallChatMeters.TWILIO_CALLS)
                .description("Twilio REST calls (each attempt) by operation and status class").withRegistry(registry);
        this.retries = Counter.builder(CallChatMeters.TWILIO_RETRIES)
                .description("Twilio calls tried again after a 429, 5xx or I/O failure").withRegistry(registry);
        this.enrollmentWait = Timer.builder(CallChatMeters.TWILIO_ENROLLMENT_QUEUE_WAIT)
                .description("How long an enrollment waited for its turn under Twilio's per-conversation rate")
                .register(registry);
        // Registered up front: the scrape shows zeros from the start (so rate() works from the first sample),
        // and the first login does not pay for creating meters while a Twilio call is timed.
        for (String operation : OPERATIONS) {
            retries.withTags(Tags.of("operation", operation));
            for (String status : STATUS_CLASSES) {
                calls.withTags(Tags.of("operation", operation, "status", status));
            }
        }
    }

    /** For code paths (tests) that build the calls without meters. */
    static TwilioMeters none() {
        return new TwilioMeters(new CompositeMeterRegistry());
    }

    /**
     * The operation tag of a call, from the phrase its caller passes to {@link ResilientCalls#call}; a phrase not
     * listed here is {@code other}, so a new call site can never add an unbounded tag value.
     */
    static String operation(String what) {
        return switch (what) {
            case "look up the conversation" -> FETCH_CONVERSATION;
            case "create the conversation" -> CREATE_CONVERSATION;
            case "delete the closed conversation" -> DELETE_CONVERSATION;
            case "add the participant" -> CREATE_PARTICIPANT;
            default -> "other";
        };
    }

    /** @param status the HTTP status Twilio answered, or 0 or less when no answer came (timeout, reset) */
    void call(String operation, int status) {
        String statusClass = status <= 0 ? "io" : status == 429 ? "429" : (status / 100) + "xx";
        calls.withTags(Tags.of("operation", operation, "status", statusClass)).increment();
    }

    void retry(String operation) {
        retries.withTags(Tags.of("operation", operation)).increment();
    }

    /** One gauge per breaker state, 1 for the current one: Prometheus can then alert on {@code state="open"}. */
    void breaker(CircuitBreaker breaker) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder(CallChatMeters.TWILIO_BREAKER_STATE, breaker, b -> b.getState() == state ? 1 : 0)
                    .description("1 for the Twilio Conversations circuit breaker's current state, 0 for the others")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /**
     * The hook for the {@link ConversationPacer} that paces participant creation per conversation: it registers
     * its depth here once, when it is built. The gauge holds the supplier strongly, so it lives as long as the
     * registry does.
     *
     * @param depth how many enrollments wait now
     */
    void enrollmentQueueDepth(Supplier<Number> depth) {
        Gauge.builder(CallChatMeters.TWILIO_ENROLLMENT_QUEUE_DEPTH, depth).strongReference(true)
                .description("Enrollments waiting for their turn under Twilio's per-conversation rate")
                .register(registry);
    }

    /**
     * The {@link ConversationPacer} calls this when an enrollment leaves its queue for a worker, with how long it
     * waited (a throttled enrollment requeued at the head counts each stay).
     *
     * @param waitedNanos nanoseconds in the queue
     */
    void enrollmentWaited(long waitedNanos) {
        enrollmentWait.record(waitedNanos, TimeUnit.NANOSECONDS);
    }
}

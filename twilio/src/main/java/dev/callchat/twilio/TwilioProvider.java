package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.TwilioCredentials;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.ProviderCallbacks;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Builds the Twilio provider: Conversations REST API (via twilio-java) for chatrooms and roster,
 * Twilio access tokens with video and chat grants.
 *
 * <p>Per login it costs at most: new room 3 calls (fetch 404, create, add participant), known
 * room not yet cached 2, cached room 1, refresh of a recent enrollment 0; a room whose conversation
 * has closed once 4 (fetch, delete, create, add). Never lists conversations.
 * Participant adds are paced per conversation to {@code CALLCHAT_TWILIO_ACTIONS_PER_SECOND}; a login
 * beyond the pace gets its token at once and its enrollment follows (docs/twilio-limits.md).
 */
public final class TwilioProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioProvider.class);
    private static final int MAX_CACHED_ROOMS = 10_000;
    private static final Duration ROOM_CACHE_EXPIRY = Duration.ofMinutes(30);
    private static final int MAX_REMEMBERED_ENROLLMENTS = 100_000;
    private static final Duration ENROLLMENT_MEMORY = Duration.ofMinutes(30);
    private static final int PACED_WORKERS = 16;

    private TwilioProvider() {
    }

    /**
     * @param config configuration with Twilio credentials present
     * @param clock  time source for caches, the circuit breaker and {@code Retry-After} dates
     * @return the provider; its resources close the HTTP connection pool
     * @throws IllegalArgumentException when the configuration has no Twilio credentials
     */
    public static Provider create(Config config, Clock clock) {
        return create(config, clock, new CompositeMeterRegistry());
    }

    /**
     * @param config configuration with Twilio credentials present
     * @param clock  time source for caches, the circuit breaker and {@code Retry-After} dates
     * @param meters where Twilio calls, retries and the breaker's state are recorded
     * @return the provider; its resources close the HTTP connection pool
     * @throws IllegalArgumentException when the configuration has no Twilio credentials
     */
    public static Provider create(Config config, Clock clock, MeterRegistry meters) {
        return create(config, clock, Resilience.DEFAULT, breaker -> { }, null, new TwilioMeters(meters));
    }

    /** As {@link #create(Config, Clock)}, with explicit retry and breaker settings (tests). */
    static Provider create(Config config, Clock clock, Resilience resilience) {
        return create(config, clock, resilience, breaker -> { });
    }

    /** As {@link #create(Config, Clock, Resilience)}, handing the circuit breaker to tests that assert its state. */
    static Provider create(Config config, Clock clock, Resilience resilience, Consumer<CircuitBreaker> breakerWatcher) {
        return create(config, clock, resilience, breakerWatcher, null, TwilioMeters.none());
    }

    /**
     * How the roster's {@link ConversationPacer} keeps time and runs queued enrollments. Production
     * paces in real time ({@link System#nanoTime()}), whatever clock the caches use: a frozen test
     * clock must not stop enrollments; pacer tests pass a hand-driven timer instead.
     *
     * @param settings rates and bounds
     * @param nanoTime the pacer's time source
     * @param timer    runs a lane's next slot
     * @param workers  runs queued enrollments
     */
    record Pacing(ConversationPacer.Settings settings, LongSupplier nanoTime, ConversationPacer.Timer timer,
                  Executor workers) {
    }

    /** As {@link #create(Config, Clock, Resilience, Consumer)}, with the pacer's time and threads given (null: real ones). */
    static Provider create(Config config, Clock clock, Resilience resilience, Consumer<CircuitBreaker> breakerWatcher,
                           Pacing pacing) {
        return create(config, clock, resilience, breakerWatcher, pacing, TwilioMeters.none());
    }

    /** As {@link #create(Config, Clock, Resilience, Consumer, Pacing)}, recording on {@code meters}. */
    static Provider create(Config config, Clock clock, Resilience resilience, Consumer<CircuitBreaker> breakerWatcher,
                           Pacing pacing, TwilioMeters meters) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        TwilioCredentials credentials = config.twilio().orElseThrow(() -> new IllegalArgumentException(
                "the Twilio provider needs TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET"));
        UpstreamHttp http = new UpstreamHttp(config.upstreamTimeout(), config.apiBaseUrl(), resilience.maxConnections());
        ResilientCalls calls = new ResilientCalls(credentials, http, config.upstreamTimeout(), resilience, clock, meters);
        meters.breaker(calls.breaker());
        calls.breaker().getEventPublisher().onStateTransition(event ->
                LOG.warn("Twilio Conversations circuit breaker: {}", event.getStateTransition()));
        breakerWatcher.accept(calls.breaker());
        // Video is another REST API with its own outages: its failures must not open the breaker that guards chat.
        ResilientCalls videoCalls = new ResilientCalls("video", credentials, http, config.upstreamTimeout(), resilience,
                clock, meters);
        videoCalls.breaker().getEventPublisher().onStateTransition(event ->
                LOG.warn("Twilio Video circuit breaker: {}", event.getStateTransition()));
        // Room events from Twilio (docs/twilio-limits.md#room-events): callbacks reach CALLCHAT_PUBLIC_URL/twilio/events.
        Optional<String> eventsUrl = config.twilioEvents()
                ? config.publicUrl().map(url -> url + CallChatHttp.TWILIO_EVENTS_PATH) : Optional.empty();
        ConversationsApi api = new ConversationsApi(calls, config.conversationsServiceSid(), config.chatRetention(),
                eventsUrl);
        Ticker ticker = ticker(clock);
        VideoRooms video = eventsUrl.map(url -> new VideoRooms(videoCalls, url, ticker, MAX_CACHED_ROOMS)).orElse(null);

        LOG.info("twilio provider: account {}, API key {}, API base {}, Conversations service {}, {} actions/s per"
                        + " conversation", credentials.accountSid(), credentials.apiKeySid(),
                config.apiBaseUrl().map(URI::toString).orElse("https://conversations.twilio.com"),
                config.conversationsServiceSid().orElse("(account default)"), config.conversationActionsPerSecond());
        ScheduledExecutorService timer = null;
        ExecutorService workers = null;
        if (pacing == null) {
            timer = Executors.newSingleThreadScheduledExecutor(daemons("callchat-twilio-pacer"));
            // Queued enrollments are I/O-bound and paced per conversation: a few threads serve many rooms.
            ThreadPoolExecutor pool = new ThreadPoolExecutor(PACED_WORKERS, PACED_WORKERS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemons("callchat-twilio-enroll"));
            pool.allowCoreThreadTimeOut(true);
            workers = pool;
            ScheduledExecutorService scheduler = timer;
            pacing = new Pacing(ConversationPacer.Settings.forLimit(config.conversationActionsPerSecond()),
                    System::nanoTime, (task, delayNanos) -> scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS),
                    workers);
        }
        ConversationPacer pacer = new ConversationPacer(pacing.settings(), pacing.nanoTime(), pacing.timer(),
                pacing.workers(), meters::enrollmentWaited);
        meters.enrollmentQueueDepth(pacer::queued);
        TwilioChatroomDirectory directory = new TwilioChatroomDirectory(api, config.conversationsServiceSid(),
                config.loginDeadline(), ticker, MAX_CACHED_ROOMS, ROOM_CACHE_EXPIRY, video);
        ScheduledExecutorService ownTimer = timer;
        ExecutorService ownWorkers = workers;
        AutoCloseable resources = () -> {
            // Queued enrollments are dropped: only completed ones are remembered, so the next login redoes them.
            if (ownTimer != null) {
                ownTimer.shutdownNow();
                ownWorkers.shutdownNow();
                // Let enrollments under way finish their HTTP exchange before the pool closes under them.
                ownWorkers.awaitTermination(config.upstreamTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            http.close();
        };
        TwilioParticipantRoster roster = new TwilioParticipantRoster(api, config.loginDeadline(), ticker,
                MAX_REMEMBERED_ENROLLMENTS, ENROLLMENT_MEMORY, pacer, chatroom -> directory.evict(chatroom.roomName()));
        TwilioRoomControl control = new TwilioRoomControl(calls, videoCalls, directory,
                config.conversationsServiceSid(), config.loginDeadline(), roster::left);
        Executor removals = pacing.workers();
        ProviderCallbacks callbacks = eventsUrl.<ProviderCallbacks>map(url -> new TwilioCallbacks(
                config.twilioAuthToken().orElseThrow().reveal(), ticker, clock, control, directory, video,
                removals)).orElse(ProviderCallbacks.NONE);
        if (eventsUrl.isPresent()) {
            LOG.info("twilio provider: room events from Twilio at {}", eventsUrl.get());
        }
        return new Provider("twilio",
                directory,
                roster,
                new TwilioTokenIssuer(credentials, config.tokenTtl()),
                Optional.empty(),
                resources,
                control,
                callbacks);
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Cache expiry follows the injected clock, so tests expire entries by moving it, not by sleeping. */
    private static Ticker ticker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}

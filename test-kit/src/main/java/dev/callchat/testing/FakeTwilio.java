package dev.callchat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.callchat.core.config.Config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for the Twilio Conversations REST API, and for the Video Rooms and Participants
 * updates a host's actions make ({@link #connectVideo} plays a browser joining the video), on {@code 127.0.0.1} and an
 * ephemeral port. It answers the requests callchat makes (and the list request it must never
 * make) with Twilio-shaped JSON and Twilio-style errors, counts every request per {@link Route},
 * enforces Twilio's per-conversation limit of 30 actions per second ({@link #actionsPerSecond(int)}),
 * and can be told to misbehave: latency, scripted {@link Fault}s, conversations deleted behind
 * callchat's back.
 *
 * <pre>{@code
 * try (FakeTwilio twilio = FakeTwilio.start();
 *      CallSessionService calls = CallSessionService.create(twilio.config())) {
 *     calls.login(LoginRequest.of("ana", "My Room"));
 *     assertThat(twilio.calls(FakeTwilio.Route.LIST_CONVERSATIONS)).isZero();
 * }
 * }</pre>
 *
 * Requests must authenticate with HTTP Basic {@link #API_KEY_SID}:{@link #API_KEY_SECRET}, as
 * Twilio requires of API keys; anything else gets 401 with Twilio error 20003.
 *
 * <p>It keeps Twilio's documented rules (each with a link to the page that states it, in the
 * "Twilio's rules" section below): lookup by SID or unique name, SID-shaped unique names refused,
 * the per-service create/delete rate, 1,000 participants per conversation, the per-identity
 * conversation cap, conversation timers and closed conversations refusing participants. Time
 * (timers, rate windows) comes from the {@link Clock} given to {@link #start(Clock)}, so tests
 * move it instead of waiting. See docs/twilio-limits.md for how callchat stays inside them.
 */
public final class FakeTwilio implements AutoCloseable {
    static {
        // The JDK HttpServer leaves Nagle's algorithm on: its header and body writes then wait for the
        // client's delayed ACK, adding ~40 ms to every call and swamping the latency a test means to
        // add. Read once when the server classes load, so it must be set before the first start().
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The fake account. */
    public static final String ACCOUNT_SID = "AC" + "0123456789abcdef0123456789abcdef";
    /** The API key the fake accepts. */
    public static final String API_KEY_SID = "SK" + "fedcba9876543210fedcba9876543210";
    /** The API key's secret (32 bytes, as Twilio's are: long enough for HS256). */
    public static final String API_KEY_SECRET = "fake-twilio-secret-0123456789abc";
    /**
     * The account's Auth Token, which signs the callbacks this fake sends ({@code TWILIO_AUTH_TOKEN}); Twilio signs
     * webhooks with it, not with an API key secret (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
     */
    public static final String AUTH_TOKEN = "fake-twilio-auth-token-0123456789";
    /** The account's default Conversations service. */
    public static final String DEFAULT_SERVICE_SID = "IS" + "00000000000000000000000000000001";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONVERSATIONS_HOST = "https://conversations.twilio.com";
    private static final String ZEROS = "0".repeat(32);

    /** How many of the latest requests {@link #requests()} keeps. */
    public static final int REQUESTS_KEPT = 1000;
    /** Twilio's default participants per conversation. */
    public static final int MAX_PARTICIPANTS = 1000;
    /** Twilio's default number of active or inactive conversations one identity may be a participant of. */
    public static final int USER_CONVERSATION_LIMIT = 1000;
    /** Twilio's per-service rate for conversation create and delete, actions per second. */
    public static final int SERVICE_ACTIONS_PER_SECOND = 30;
    /** What Twilio reads as a conversation SID (error 50390's pattern, either case of hex to be safe). */
    private static final Pattern SID_SHAPED = Pattern.compile("CH[0-9a-fA-F]{32}");

    /** What a request asked for; every request is counted under one. */
    public enum Route {
        /** {@code GET /v1/Conversations}: callchat must never call it. */
        LIST_CONVERSATIONS,
        /** {@code POST /v1/Conversations}. */
        CREATE_CONVERSATION,
        /** {@code GET /v1/Conversations/{sid or unique name}}. */
        FETCH_CONVERSATION,
        /** {@code POST /v1/Conversations/{sid}/Participants}. */
        CREATE_PARTICIPANT,
        /** {@code DELETE /v1/Conversations/{sid or unique name}}. */
        DELETE_CONVERSATION,
        /** {@code GET /v1/Conversations/{sid}/Participants/{sid or identity}}. */
        FETCH_PARTICIPANT,
        /** {@code DELETE /v1/Conversations/{sid}/Participants/{sid}}. */
        DELETE_PARTICIPANT,
        /** {@code POST /v1/Rooms} (Video): create a room, possibly with a {@code StatusCallback}. */
        CREATE_ROOM,
        /** {@code POST /v1/Conversations/{sid}/Webhooks}: attach a conversation-scoped webhook. */
        CREATE_CONVERSATION_WEBHOOK,
        /** {@code POST /v1/Rooms/{sid or unique name}} (Video): complete a room. */
        UPDATE_ROOM,
        /** {@code POST /v1/Rooms/{sid or unique name}/Participants/{sid or identity}} (Video): disconnect a participant. */
        UPDATE_ROOM_PARTICIPANT,
        /** Anything else (answered 404). */
        OTHER
    }

    /**
     * One request as the fake received it, for tests that must tell whose call it was (a count cannot: the
     * provider's own background work, such as a queued enrollment, may land at any moment).
     *
     * @param route  the route it matched
     * @param method the HTTP method
     * @param path   the raw path, service prefix included
     * @param form   its form parameters (the last value of each)
     */
    public record Request(Route route, String method, String path, Map<String, String> form) {
        /**
         * @param route  the route it matched
         * @param method the HTTP method
         * @param path   the raw path, service prefix included
         * @param form   its form parameters, copied
         */
        public Request {
            form = Map.copyOf(form);
        }

        /**
         * @param identity a participant identity
         * @return whether this request names it, in its path or as its {@code Identity} parameter
         */
        public boolean names(String identity) {
            return identity.equals(form.get("Identity"))
                    || segments(path).contains(identity);
        }
    }

    /** A scripted misbehaviour, answered instead of the real thing. */
    public sealed interface Fault {
        /**
         * @param retryAfterSeconds the {@code Retry-After} header value
         * @return 429 with Twilio error 20429
         */
        static Fault tooManyRequests(int retryAfterSeconds) {
            return new Status(429, 20429, "Too Many Requests", retryAfterSeconds);
        }

        /** @return 500 with Twilio error 20500 */
        static Fault serverError() {
            return new Status(500, 20500, "Internal Server Error", null);
        }

        /** @return 503 with Twilio error 20503 */
        static Fault unavailable() {
            return new Status(503, 20503, "Service Unavailable", null);
        }

        /** @return 401 with Twilio error 20003, as for a wrong or revoked API key */
        static Fault credentialsRejected() {
            return new Status(401, 20003, "Authenticate", null);
        }

        /**
         * @param duration how long to hold the request before answering 503 (cut short by {@link #close()})
         * @return a stalled upstream
         */
        static Fault stall(Duration duration) {
            return new Stall(duration);
        }

        /**
         * For {@link Route#CREATE_CONVERSATION}: another client creates the conversation first, and
         * this request gets 409 with Twilio error 50353.
         *
         * @return the lost creation race
         */
        static Fault uniqueNameRace() {
            return new UniqueNameRace();
        }

        /**
         * @param status  HTTP status
         * @param code    Twilio error code
         * @param message Twilio error message
         * @param retryAfterSeconds {@code Retry-After} header, or null for none
         */
        record Status(int status, int code, String message, Integer retryAfterSeconds) implements Fault {
        }

        /** @param duration how long to hold the request */
        record Stall(Duration duration) implements Fault {
        }

        /** See {@link #uniqueNameRace()}. */
        record UniqueNameRace() implements Fault {
        }

        /** @return the connection closed without any answer, as when a proxy or Twilio's edge resets it */
        static Fault reset() {
            return new Reset();
        }

        /** @return 200 with a JSON body cut off half-way (a truncating proxy, a half-written answer) */
        static Fault malformedJson() {
            return new MalformedJson();
        }

        /** See {@link #reset()}. */
        record Reset() implements Fault {
        }

        /** See {@link #malformedJson()}. */
        record MalformedJson() implements Fault {
        }
    }

    /**
     * Random faults on every route, drawn from a seeded generator so a run can be repeated; shares
     * are fractions of requests (0.2 = 20 %), their sum at most 1, the rest answered normally.
     *
     * @param tooManyRequests   share answered 429 with {@code Retry-After: retryAfterSeconds}
     * @param retryAfterSeconds the {@code Retry-After} of those 429s
     * @param serverErrors      share answered 500 or 503 (half each)
     * @param stalls            share held for {@code stall} before a 503
     * @param stall             how long a stalled request is held
     * @param resets            share whose connection is closed without an answer
     * @param malformed         share answered 200 with truncated JSON
     * @param seed              the generator's seed
     */
    public record FaultMix(double tooManyRequests, int retryAfterSeconds, double serverErrors, double stalls,
                           Duration stall, double resets, double malformed, long seed) {
        /**
         * Checks shares.
         *
         * @param tooManyRequests   share answered 429 with {@code Retry-After: retryAfterSeconds}
         * @param retryAfterSeconds the {@code Retry-After} of those 429s
         * @param serverErrors      share answered 500 or 503 (half each)
         * @param stalls            share held for {@code stall} before a 503
         * @param stall             how long a stalled request is held
         * @param resets            share whose connection is closed without an answer
         * @param malformed         share answered 200 with truncated JSON
         * @param seed              the generator's seed
         */
        public FaultMix {
            Objects.requireNonNull(stall, "stall");
            double sum = tooManyRequests + serverErrors + stalls + resets + malformed;
            if (tooManyRequests < 0 || serverErrors < 0 || stalls < 0 || resets < 0 || malformed < 0 || sum > 1) {
                throw new IllegalArgumentException("shares must be non-negative and sum to at most 1, got " + sum);
            }
        }

        private Fault draw(Random random) {
            double r = random.nextDouble();
            if ((r -= tooManyRequests) < 0) {
                return Fault.tooManyRequests(retryAfterSeconds);
            }
            if ((r -= serverErrors) < 0) {
                return random.nextBoolean() ? Fault.serverError() : Fault.unavailable();
            }
            if ((r -= stalls) < 0) {
                return Fault.stall(stall);
            }
            if ((r -= resets) < 0) {
                return Fault.reset();
            }
            if ((r - malformed) < 0) {
                return Fault.malformedJson();
            }
            return null;
        }
    }

    /**
     * A conversation; {@code dateInactive}/{@code dateClosed} are when its timers fire (null: no timer),
     * {@code dateClosed} also when it was closed by hand.
     */
    private record Conversation(String sid, String serviceSid, String uniqueName, String friendlyName, Instant created,
                                String initialState, Instant dateInactive, Instant dateClosed) {
        /** The state as Twilio would report it at {@code now}: timers move it on when they elapse. */
        String state(Instant now) {
            if (dateClosed != null && !now.isBefore(dateClosed)) {
                return "closed";
            }
            if (dateInactive != null && !now.isBefore(dateInactive)) {
                return "inactive";
            }
            return initialState;
        }

        Conversation closedAt(Instant when) {
            return new Conversation(sid, serviceSid, uniqueName, friendlyName, created, initialState, dateInactive, when);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI baseUrl;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<Route, AtomicInteger> counters = new EnumMap<>(Route.class);
    private final Map<Route, Queue<Fault>> scripted = new EnumMap<>(Route.class);
    private final Map<Route, Fault> persistent = new ConcurrentHashMap<>();
    private final AtomicInteger rejectedCredentials = new AtomicInteger();
    private final Map<String, Conversation> bySid = new ConcurrentHashMap<>();
    private final Map<String, String> sidByName = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> participants = new ConcurrentHashMap<>();
    /** Per conversation SID: each participant's identity and {@code MB…} SID. */
    private final Map<String, Map<String, String>> participantSids = new ConcurrentHashMap<>();
    /** Video rooms by {@code RM…} SID; guarded by {@link #videoRooms}' own monitor. */
    private final Map<String, VideoRoom> videoRooms = new LinkedHashMap<>();
    private final AtomicLong sids = new AtomicLong(System.nanoTime() & 0xffff_ffffL);
    private volatile Duration latency = Duration.ZERO;
    private volatile FaultMix mix;
    private Random mixRandom;
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final Clock clock;
    /** Per service and identity (see {@link #key}): the conversations that identity is a participant of. */
    private final Map<String, Set<String>> conversationsByIdentity = new ConcurrentHashMap<>();
    private final Map<String, long[]> serviceWindows = new HashMap<>();
    private volatile int participantLimit = MAX_PARTICIPANTS;
    private volatile int userConversationLimit = USER_CONVERSATION_LIMIT;
    private volatile int serviceActionsPerSecond = SERVICE_ACTIONS_PER_SECOND;
    private volatile int actionsPerSecond = 30;
    private volatile java.time.Clock actionsClock = java.time.Clock.systemUTC();
    private final Map<String, java.util.ArrayDeque<Long>> actionLog = new ConcurrentHashMap<>();
    private final Map<Route, AtomicInteger> throttled = new ConcurrentHashMap<>();
    /** The last {@link #REQUESTS_KEPT} requests, oldest first; guarded by its own monitor. */
    private final java.util.ArrayDeque<Request> requests = new java.util.ArrayDeque<>();

    private FakeTwilio(Clock clock) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Route route : Route.values()) {
            counters.put(route, new AtomicInteger());
            scripted.put(route, new ConcurrentLinkedQueue<>());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "fake-twilio-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newCachedThreadPool(daemons);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @return a running fake on an ephemeral loopback port, on the system clock */
    public static FakeTwilio start() {
        return start(Clock.systemUTC());
    }

    /**
     * @param clock the fake's time: conversation timers and rate-limit windows follow it
     * @return a running fake on an ephemeral loopback port
     */
    public static FakeTwilio start(Clock clock) {
        try {
            return new FakeTwilio(clock);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fake Twilio server", e);
        }
    }

    /** @return where the fake listens, e.g. {@code http://127.0.0.1:41234} */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * @return environment variables for callchat against this fake: its credentials, its base URL,
     * and timeouts that only bound a hang (30 s per call, 60 s per login): on a loaded machine a call to
     * this in-process fake can take seconds, and a short timeout would turn a test's chat login video-only.
     * Tests of the timeouts themselves set tight ones (and make the fake stall)
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TWILIO_ACCOUNT_SID", ACCOUNT_SID);
        env.put("TWILIO_API_KEY_SID", API_KEY_SID);
        env.put("TWILIO_API_KEY_SECRET", API_KEY_SECRET);
        env.put("TWILIO_API_BASE_URL", baseUrl.toString());
        env.put("CALLCHAT_UPSTREAM_TIMEOUT", "30s");
        env.put("CALLCHAT_LOGIN_DEADLINE", "60s");
        return env;
    }

    /** @return a validated {@link Config} from {@link #environment()} */
    public Config config() {
        return config(Map.of());
    }

    /**
     * @param overrides variables that replace or add to {@link #environment()}
     * @return a validated {@link Config}
     */
    public Config config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment());
        env.putAll(overrides);
        return Config.from(env);
    }

    /**
     * @param route a route
     * @return requests received on it since start or the last {@link #resetCounters()}, faulted ones included
     */
    public int calls(Route route) {
        return counters.get(route).get();
    }

    /** @return requests received on all routes */
    public int totalCalls() {
        return counters.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /**
     * @return the requests received since start or the last {@link #resetCounters()}, oldest first; only the last
     * {@value #REQUESTS_KEPT} are kept, so that a benchmark's fake stays small
     */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** @return requests rejected for wrong credentials (not scripted faults) */
    public int rejectedCredentials() {
        return rejectedCredentials.get();
    }

    /** Zeroes every counter. */
    public void resetCounters() {
        counters.values().forEach(c -> c.set(0));
        synchronized (requests) {
            requests.clear();
        }
        injected.clear();
        rejectedCredentials.set(0);
        throttled.values().forEach(c -> c.set(0));
    }

    /**
     * @param latency added before every answer (benchmarks, timeout tests)
     * @return this fake
     */
    public FakeTwilio latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return this;
    }

    /**
     * @param route the route to disturb
     * @param times how many of its next requests get the fault
     * @param fault what they get
     * @return this fake
     */
    public FakeTwilio failNext(Route route, int times, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        for (int i = 0; i < times; i++) {
            scripted.get(route).add(fault);
        }
        return this;
    }

    /**
     * @param fault what every request on every route gets until {@link #clearFaults()}
     * @return this fake
     */
    public FakeTwilio failAlways(Fault fault) {
        for (Route route : Route.values()) {
            persistent.put(route, Objects.requireNonNull(fault, "fault"));
        }
        return this;
    }

    /**
     * @param route the route to disturb
     * @param fault what its every request gets until {@link #clearFaults()}
     * @return this fake
     */
    public FakeTwilio failAlways(Route route, Fault fault) {
        persistent.put(route, Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /**
     * @param mix random faults for every request without a scripted or persistent one, until {@link #clearFaults()}
     * @return this fake
     */
    public FakeTwilio randomFaults(FaultMix mix) {
        synchronized (injected) {
            mixRandom = new Random(mix.seed());
            this.mix = mix;
        }
        return this;
    }

    /**
     * @return how many faults were answered since start or {@link #resetCounters()}, by kind:
     * {@code 429}, {@code 500}, {@code 503}, {@code 401}, {@code stall}, {@code reset}, {@code malformed}, {@code race}
     */
    public Map<String, Integer> injectedFaults() {
        Map<String, Integer> copy = new TreeMap<>();
        injected.forEach((kind, n) -> copy.put(kind, n.get()));
        return copy;
    }

    /** Ends all scripted, persistent and random faults. */
    public void clearFaults() {
        scripted.values().forEach(Queue::clear);
        persistent.clear();
        mix = null;
    }

    /**
     * Creates a conversation in the default service as if someone else had, without counting a request.
     *
     * @param uniqueName its unique name
     * @return its SID
     */
    public String createConversation(String uniqueName) {
        if (uniqueName != null && SID_SHAPED.matcher(uniqueName).matches()) {
            throw new IllegalArgumentException("Twilio refuses a SID-shaped unique name (50390): " + uniqueName);
        }
        return create(DEFAULT_SERVICE_SID, uniqueName, uniqueName, null, null).orElseThrow(() ->
                new IllegalStateException("conversation '" + uniqueName + "' already exists"));
    }

    /**
     * Seeds {@code count} conversations named {@code prefix0}, {@code prefix1}, … (fast: no HTTP).
     *
     * @param count  how many
     * @param prefix their unique names' prefix
     * @return their unique names
     */
    public List<String> seedConversations(int count, String prefix) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            createConversation(name);
            names.add(name);
        }
        return names;
    }

    /**
     * @param uniqueName a unique name in the default service
     * @return its conversation's SID, if it exists
     */
    public Optional<String> conversationSid(String uniqueName) {
        return conversationSid(DEFAULT_SERVICE_SID, uniqueName);
    }

    /**
     * @param serviceSid a Conversations service ({@code IS…})
     * @param uniqueName a unique name in that service
     * @return its conversation's SID, if it exists
     */
    public Optional<String> conversationSid(String serviceSid, String uniqueName) {
        return Optional.ofNullable(sidByName.get(key(serviceSid, uniqueName)));
    }

    /**
     * Deletes a conversation of the default service behind callchat's back (as in the Twilio console).
     *
     * @param uniqueName its unique name
     * @return whether it existed
     */
    public boolean deleteConversation(String uniqueName) {
        String sid = sidByName.remove(key(DEFAULT_SERVICE_SID, uniqueName));
        if (sid == null) {
            return false;
        }
        forget(sid);
        actionLog.remove(sid);
        return true;
    }

    /** @return how many conversations exist, in all services */
    public int conversationCount() {
        return bySid.size();
    }

    /**
     * @param conversationSid a conversation
     * @return the identities enrolled in it
     */
    public Set<String> participants(String conversationSid) {
        return Set.copyOf(participants.getOrDefault(conversationSid, Set.of()));
    }

    /**
     * @param limit participants one conversation may hold (Twilio: {@value #MAX_PARTICIPANTS}); small in tests
     * @return this fake
     */
    public FakeTwilio participantLimit(int limit) {
        this.participantLimit = positive(limit);
        return this;
    }

    /**
     * @param limit active or inactive conversations one identity may be a participant of (Twilio:
     *              {@value #USER_CONVERSATION_LIMIT}); small in tests
     * @return this fake
     */
    public FakeTwilio userConversationLimit(int limit) {
        this.userConversationLimit = positive(limit);
        return this;
    }

    /**
     * @param limit conversation creates and deletes per second per service (Twilio: {@value #SERVICE_ACTIONS_PER_SECOND}),
     *              counted in windows of one second of the fake's clock
     * @return this fake
     */
    public FakeTwilio conversationCreatesPerSecond(int limit) {
        this.serviceActionsPerSecond = positive(limit);
        return this;
    }

    /**
     * Closes a conversation of the default service behind callchat's back (as a console user or a
     * timer would): it keeps its unique name and participants but refuses new ones.
     *
     * @param uniqueName its unique name
     * @return whether it existed
     */
    public boolean closeConversation(String uniqueName) {
        String sid = sidByName.get(key(DEFAULT_SERVICE_SID, uniqueName));
        return sid != null && bySid.computeIfPresent(sid, (s, c) -> c.closedAt(clock.instant())) != null;
    }

    /**
     * @param conversationSid a conversation
     * @return its state now ({@code active}, {@code inactive} or {@code closed}), if it exists
     */
    public Optional<String> state(String conversationSid) {
        return Optional.ofNullable(bySid.get(conversationSid)).map(c -> c.state(clock.instant()));
    }

    /**
     * @param conversationSid a conversation
     * @return how long after its creation its {@code timers.closed} closes it, if it has that timer
     */
    public Optional<Duration> closedTimer(String conversationSid) {
        return Optional.ofNullable(bySid.get(conversationSid))
                .filter(c -> c.dateClosed() != null)
                .map(c -> Duration.between(c.created(), c.dateClosed().truncatedTo(ChronoUnit.SECONDS)));
    }

    /** Stops the server and releases stalled requests. */
    @Override
    public void close() {
        closed.countDown();
        callbackSender.shutdownNow();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- Twilio's per-conversation actions-per-second limit -----------------------------------
    //
    // "The following operations are rate-limited per conversation, with a default maximum set at 30 APS
    // separately for each conversation: Conversation update; Participant create, update, delete; Message
    // create, update, delete" (Twilio changelog 2020-03-31, "Increasing Actions Per Second for
    // Conversations": https://www.twilio.com/en-us/changelog/increasing-actions-per-second-for-conversations-
    // and https://www.twilio.com/docs/conversations/conversations-limits). Over the limit Twilio answers
    // 429 with error 20429, which "is never processed and is always safe to retry"
    // (https://www.twilio.com/docs/errors/20429); callchat must not count on a Retry-After header, so
    // this fake sends none. Twilio does not say how it measures a second: the fake takes the strictest
    // reading, at most N accepted actions in any one-second span (a sliding window), and refused
    // requests do not count ("never processed"). Reads (GET) are not limited.

    /**
     * Sets the per-conversation limit on conversation update and participant/message create, update
     * and delete. Twilio's default, and this fake's, is 30.
     *
     * @param limit accepted actions per conversation in any one second; {@link Integer#MAX_VALUE} for no limit
     * @return this fake
     */
    public FakeTwilio actionsPerSecond(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.actionsPerSecond = limit;
        return this;
    }

    /**
     * @param clock the time the actions-per-second limit counts by (tests move a mutable clock instead of
     *              waiting; the default is the system clock)
     * @return this fake
     */
    public FakeTwilio actionsClock(java.time.Clock clock) {
        this.actionsClock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param route a route
     * @return its requests answered 429 for the actions-per-second limit (not scripted faults), since
     * start or {@link #resetCounters()}
     */
    public int throttled(Route route) {
        return throttledCount(route).get();
    }

    private AtomicInteger throttledCount(Route route) {
        return throttled.computeIfAbsent(route, r -> new AtomicInteger());
    }

    /** @return whether this request is a rate-limited action on an existing conversation that is over the limit */
    private boolean overActionLimit(String method, List<String> path, String service) {
        if (method.equals("GET") || path.size() < 3 || !path.get(1).equals("Conversations")) {
            return false;
        }
        Optional<Conversation> conversation = find(service, path.get(2));
        if (conversation.isEmpty()) {
            return false;
        }
        int limit = actionsPerSecond;
        if (limit == Integer.MAX_VALUE) {
            return false;
        }
        Instant now = actionsClock.instant();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        java.util.ArrayDeque<Long> accepted = actionLog.computeIfAbsent(conversation.get().sid(),
                sid -> new java.util.ArrayDeque<>());
        synchronized (accepted) {
            while (!accepted.isEmpty() && accepted.peekFirst() <= nowNanos - 1_000_000_000L) {
                accepted.pollFirst();
            }
            if (accepted.size() >= limit) {
                return true;
            }
            accepted.addLast(nowNanos);
            return false;
        }
    }

    // ---- request handling ---------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try {
            serve(exchange);
        } catch (RuntimeException e) {
            // A bug in the fake must show up as a 500 the test can see, not a hung client.
            error(exchange, 500, 20500, "fake Twilio failed: " + e, null);
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        // Service-scoped paths (/v1/Services/IS…/Conversations/…) are the default ones plus a service.
        String service = DEFAULT_SERVICE_SID;
        if (path.size() >= 3 && path.get(0).equals("v1") && path.get(1).equals("Services")) {
            service = path.get(2);
            List<String> rest = new ArrayList<>();
            rest.add("v1");
            rest.addAll(path.subList(3, path.size()));
            path = rest;
        }
        Route route = route(method, path);
        counters.get(route).incrementAndGet();
        Request request = new Request(route, method, exchange.getRequestURI().getRawPath(), form(body));
        synchronized (requests) {
            if (requests.size() == REQUESTS_KEPT) {
                requests.removeFirst();
            }
            requests.addLast(request);
        }
        pause(latency);

        if (!authorized(exchange)) {
            rejectedCredentials.incrementAndGet();
            error(exchange, 401, 20003, "Authenticate", null);
            return;
        }
        Fault fault = Optional.ofNullable(scripted.get(route).poll()).orElse(persistent.get(route));
        if (fault == null && mix != null) {
            synchronized (injected) {
                FaultMix current = mix;
                fault = current == null ? null : current.draw(mixRandom);
            }
        }
        if (fault != null) {
            injected.computeIfAbsent(kind(fault), k -> new AtomicInteger()).incrementAndGet();
        }
        if (fault != null && !(fault instanceof Fault.UniqueNameRace)) {
            answerFault(exchange, fault);
            return;
        }
        if (overActionLimit(method, path, service)) {
            throttledCount(route).incrementAndGet();
            // Twilio's 429: code 20429 and no Retry-After header (callchat must not count on one).
            error(exchange, 429, 20429, "Too Many Requests", null);
            return;
        }
        Map<String, String> form = form(body);
        switch (route) {
            case LIST_CONVERSATIONS -> list(exchange, service);
            case CREATE_CONVERSATION -> create(exchange, service, form, fault instanceof Fault.UniqueNameRace);
            case FETCH_CONVERSATION -> fetch(exchange, service, path.get(2));
            case CREATE_PARTICIPANT -> addParticipant(exchange, service, path.get(2), form);
            case DELETE_CONVERSATION -> delete(exchange, service, path.get(2));
            case FETCH_PARTICIPANT -> fetchParticipant(exchange, service, path.get(2), path.get(4));
            case DELETE_PARTICIPANT -> deleteParticipant(exchange, service, path.get(2), path.get(4));
            case UPDATE_ROOM -> updateRoom(exchange, path.get(2), form);
            case UPDATE_ROOM_PARTICIPANT -> updateRoomParticipant(exchange, path.get(2), path.get(4), form);
            case CREATE_ROOM -> createRoom(exchange, form);
            case CREATE_CONVERSATION_WEBHOOK -> createWebhook(exchange, service, path.get(2), formAll(body));
            default -> error(exchange, 404, 20404, "The requested resource " + exchange.getRequestURI().getRawPath()
                    + " was not found", null);
        }
    }

    private static Route route(String method, List<String> path) {
        if (path.size() == 2 && path.get(0).equals("v1") && path.get(1).equals("Rooms") && method.equals("POST")) {
            return Route.CREATE_ROOM;
        }
        if (path.size() == 4 && path.get(0).equals("v1") && path.get(1).equals("Conversations")
                && path.get(3).equals("Webhooks") && method.equals("POST")) {
            return Route.CREATE_CONVERSATION_WEBHOOK;
        }
        if (path.size() >= 3 && path.get(0).equals("v1") && path.get(1).equals("Rooms") && method.equals("POST")) {
            if (path.size() == 3) {
                return Route.UPDATE_ROOM;
            }
            if (path.size() == 5 && path.get(3).equals("Participants")) {
                return Route.UPDATE_ROOM_PARTICIPANT;
            }
        }
        if (path.size() < 2 || !path.get(0).equals("v1") || !path.get(1).equals("Conversations")) {
            return Route.OTHER;
        }
        if (path.size() == 5 && path.get(3).equals("Participants")) {
            return method.equals("GET") ? Route.FETCH_PARTICIPANT : method.equals("DELETE") ? Route.DELETE_PARTICIPANT
                    : Route.OTHER;
        }
        if (path.size() == 2) {
            return method.equals("GET") ? Route.LIST_CONVERSATIONS : method.equals("POST") ? Route.CREATE_CONVERSATION
                    : Route.OTHER;
        }
        if (path.size() == 3 && method.equals("GET")) {
            return Route.FETCH_CONVERSATION;
        }
        if (path.size() == 3 && method.equals("DELETE")) {
            return Route.DELETE_CONVERSATION;
        }
        if (path.size() == 4 && path.get(3).equals("Participants") && method.equals("POST")) {
            return Route.CREATE_PARTICIPANT;
        }
        return Route.OTHER;
    }

    private static boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (API_KEY_SID + ":" + API_KEY_SECRET).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private static String kind(Fault fault) {
        if (fault instanceof Fault.Status status) {
            return String.valueOf(status.status());
        }
        return fault instanceof Fault.Stall ? "stall" : fault instanceof Fault.Reset ? "reset"
                : fault instanceof Fault.MalformedJson ? "malformed" : "race";
    }

    private void answerFault(HttpExchange exchange, Fault fault) throws IOException {
        if (fault instanceof Fault.Reset) {
            // Closing an exchange that sent no headers closes the connection: the client sees no answer at all.
            return;
        }
        if (fault instanceof Fault.MalformedJson) {
            byte[] cut = ("{\"sid\": \"CH" + ZEROS.substring(0, 10)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, cut.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(cut);
            }
            return;
        }
        if (fault instanceof Fault.Stall stall) {
            pause(stall.duration());
            error(exchange, 503, 20503, "Service Unavailable (after a stall)", null);
        } else if (fault instanceof Fault.Status status) {
            error(exchange, status.status(), status.code(), status.message(), status.retryAfterSeconds());
        }
    }

    private void list(HttpExchange exchange, String service) throws IOException {
        List<Map<String, Object>> page = bySid.values().stream()
                .filter(c -> c.serviceSid().equals(service))
                .limit(50)
                .map(this::json)
                .toList();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", 0);
        meta.put("page_size", 50);
        meta.put("first_page_url", CONVERSATIONS_HOST + "/v1/Conversations?PageSize=50&Page=0");
        meta.put("previous_page_url", null);
        meta.put("url", CONVERSATIONS_HOST + "/v1/Conversations?PageSize=50&Page=0");
        meta.put("next_page_url", null);
        meta.put("key", "conversations");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversations", page);
        body.put("meta", meta);
        send(exchange, 200, body, null);
    }

    private void create(HttpExchange exchange, String service, Map<String, String> form, boolean raceLost)
            throws IOException {
        if (!serviceActionAllowed(service)) {
            tooManyServiceActions(exchange);
            return;
        }
        Optional<Refusal> refusal = refuseCreate(form);
        if (refusal.isPresent()) {
            error(exchange, refusal.get().status(), refusal.get().code(), refusal.get().message(), null);
            return;
        }
        String uniqueName = form.get("UniqueName");
        String friendlyName = form.getOrDefault("FriendlyName", uniqueName);
        Duration inactive = Optional.ofNullable(form.get("Timers.Inactive")).map(Duration::parse).orElse(null);
        Duration closedAfter = Optional.ofNullable(form.get("Timers.Closed")).map(Duration::parse).orElse(null);
        if (raceLost && uniqueName != null) {
            create(service, uniqueName, friendlyName, null, null); // the other creator, a moment earlier
        }
        Optional<String> sid = create(service, uniqueName, friendlyName, inactive, closedAfter);
        if (sid.isEmpty()) {
            error(exchange, 409, 50353, "Conversation with provided unique name already exists", null);
            return;
        }
        send(exchange, 201, json(bySid.get(sid.get())), null);
    }

    private void fetch(HttpExchange exchange, String service, String sidOrName) throws IOException {
        Optional<Conversation> conversation = find(service, sidOrName);
        if (conversation.isEmpty()) {
            error(exchange, 404, 20404, "The requested resource /Conversations/" + sidOrName + " was not found", null);
            return;
        }
        send(exchange, 200, json(conversation.get()), null);
    }

    private void addParticipant(HttpExchange exchange, String service, String sidOrName, Map<String, String> form)
            throws IOException {
        Optional<Conversation> conversation = find(service, sidOrName);
        if (conversation.isEmpty()) {
            error(exchange, 404, 20404, "The requested resource /Conversations/" + sidOrName
                    + "/Participants was not found", null);
            return;
        }
        String identity = form.get("Identity");
        if (identity == null || identity.isEmpty()) {
            error(exchange, 400, 50000, "Identity or MessagingBinding.Address is required", null);
            return;
        }
        Conversation c = conversation.get();
        Optional<Refusal> refusal = enroll(c, identity);
        if (refusal.isPresent()) {
            error(exchange, refusal.get().status(), refusal.get().code(), refusal.get().message(), null);
            return;
        }
        String sid = participantSids.computeIfAbsent(c.sid(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(identity, k -> newSid("MB"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        send(exchange, 201, participantJson(c, identity, sid, now), null);
        chatEvent(c.sid(), "onParticipantAdded", participantEvent(c, identity, sid, now));
    }

    private Map<String, Object> participantJson(Conversation c, String identity, String sid, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account_sid", ACCOUNT_SID);
        body.put("chat_service_sid", c.serviceSid());
        body.put("conversation_sid", c.sid());
        body.put("sid", sid);
        body.put("identity", identity);
        body.put("attributes", "{}");
        body.put("messaging_binding", null);
        body.put("role_sid", "RL" + "00000000000000000000000000000002");
        body.put("date_created", now.toString());
        body.put("date_updated", now.toString());
        body.put("url", CONVERSATIONS_HOST + "/v1/Conversations/" + c.sid() + "/Participants/" + sid);
        body.put("last_read_message_index", null);
        body.put("last_read_timestamp", null);
        return body;
    }

    /**
     * A conversation participant is addressed by its {@code MB…} SID or, on fetch, by its identity: "Alternatively,
     * you can pass a Participant's identity rather than the SID"
     * (https://www.twilio.com/docs/conversations/api/conversation-participant-resource#fetch-a-conversationparticipant-resource).
     */
    private void fetchParticipant(HttpExchange exchange, String service, String conversation, String sidOrIdentity)
            throws IOException {
        Optional<Conversation> c = find(service, conversation);
        Map<String, String> sids = c.map(found -> participantSids.getOrDefault(found.sid(), Map.of())).orElse(Map.of());
        Optional<Map.Entry<String, String>> match = sids.entrySet().stream()
                .filter(e -> e.getKey().equals(sidOrIdentity) || e.getValue().equals(sidOrIdentity)).findFirst();
        if (match.isEmpty()) {
            error(exchange, 404, 20404, "The requested resource /Conversations/" + conversation + "/Participants/"
                    + sidOrIdentity + " was not found", null);
            return;
        }
        send(exchange, 200, participantJson(c.get(), match.get().getKey(), match.get().getValue(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS)), null);
    }

    /**
     * "Deleting a participant removes them from the conversation"; delete takes the participant's SID
     * (https://www.twilio.com/docs/conversations/api/conversation-participant-resource#delete-a-conversationparticipant-resource).
     * It frees the identity's place in the conversation and in its per-identity count. Answers 204.
     */
    private void deleteParticipant(HttpExchange exchange, String service, String conversation, String sid)
            throws IOException {
        Optional<Conversation> c = find(service, conversation);
        Map<String, String> sids = c.map(found -> participantSids.getOrDefault(found.sid(), Map.of())).orElse(Map.of());
        Optional<String> identity = sids.entrySet().stream().filter(e -> e.getValue().equals(sid))
                .map(Map.Entry::getKey).findFirst();
        if (identity.isEmpty()) {
            error(exchange, 404, 20404, "The requested resource /Conversations/" + conversation + "/Participants/"
                    + sid + " was not found", null);
            return;
        }
        // Gone before the answer leaves: a caller that saw the 204 must never find the participant still there.
        removed(c.get(), identity.get(), sid);
        exchange.sendResponseHeaders(204, -1);
    }

    /** Takes the participant out and tells the conversation's webhooks, as a REST delete does. */
    private void removed(Conversation c, String identity, String participantSid) {
        participantSids.getOrDefault(c.sid(), new HashMap<>()).remove(identity);
        participants.getOrDefault(c.sid(), Set.of()).remove(identity);
        Set<String> mine = conversationsByIdentity.get(key(c.serviceSid(), identity));
        if (mine != null) {
            mine.remove(c.sid());
        }
        chatEvent(c.sid(), "onParticipantRemoved", participantEvent(c, identity, participantSid,
                clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    }

    /**
     * Takes a participant out of a conversation behind callchat's back, as the Twilio console or another
     * application would with the REST API; the conversation's webhooks hear {@code onParticipantRemoved}.
     *
     * @param conversationSid a conversation
     * @param identity        one of its participants
     * @return whether it was a participant
     */
    public boolean removeParticipant(String conversationSid, String identity) {
        Conversation c = bySid.get(conversationSid);
        String participantSid = c == null ? null : participantSids.getOrDefault(c.sid(), Map.of()).get(identity);
        if (participantSid == null) {
            return false;
        }
        removed(c, identity, participantSid);
        return true;
    }

    // ---- Video rooms ----------------------------------------------------------------------------

    /** A Video room: {@code in-progress} until completed, with its participants by identity. */
    private static final class VideoRoom {
        final String sid;
        final String uniqueName;
        final Instant created;
        String status = "in-progress";
        Instant ended;
        final Map<String, VideoParticipant> participants = new LinkedHashMap<>();
        /** Where status callbacks go: set only when the room was created over REST with one. */
        String statusCallback;
        /** The next callback's {@code SequenceNumber}: "the order in which the events were fired", from 0. */
        int sequence;

        VideoRoom(String sid, String uniqueName, Instant created) {
            this.sid = sid;
            this.uniqueName = uniqueName;
            this.created = created;
        }
    }

    /** One connection of an identity to a Video room. */
    private static final class VideoParticipant {
        final String sid;
        final String identity;
        final Instant started;
        String status = "connected";
        Instant ended;

        VideoParticipant(String sid, String identity, Instant started) {
            this.sid = sid;
            this.identity = identity;
            this.started = started;
        }
    }

    /**
     * What twilio-video does when a browser connects with a token granting {@code room}: the room is created
     * in progress when none of that name is ("Rooms are created on-demand when the first participant joins",
     * https://www.twilio.com/docs/video/tutorials/understanding-video-rooms#ad-hoc-rooms), and a second
     * connection of an identity already connected replaces the first ("Duplicate identity", error 53205,
     * https://www.twilio.com/docs/api/errors/53205).
     *
     * @param room     the room's unique name
     * @param identity the token's identity
     * @return the new participant's {@code PA…} SID
     */
    public String connectVideo(String room, String identity) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        synchronized (videoRooms) {
            VideoRoom r = inProgress(room).orElseGet(() -> {
                VideoRoom created = new VideoRoom(newSid("RM"), room, now);
                videoRooms.put(created.sid, created);
                return created;
            });
            VideoParticipant old = r.participants.get(identity);
            if (old != null && old.status.equals("connected")) {
                old.status = "disconnected";
                old.ended = now;
                videoEvent(r, "participant-disconnected", old);
            }
            VideoParticipant p = new VideoParticipant(newSid("PA"), identity, now);
            r.participants.put(identity, p);
            videoEvent(r, "participant-connected", p);
            return p.sid;
        }
    }

    /**
     * What twilio-video does when a browser leaves the call (closes the page): the participant is disconnected.
     *
     * @param room     the room's unique name
     * @param identity who leaves
     * @return whether they were connected
     */
    public boolean disconnectVideo(String room, String identity) {
        synchronized (videoRooms) {
            Optional<VideoParticipant> found = inProgress(room).map(r -> r.participants.get(identity))
                    .filter(p -> p.status.equals("connected"));
            found.ifPresent(p -> {
                p.status = "disconnected";
                p.ended = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                videoEvent(inProgress(room).orElseThrow(), "participant-disconnected", p);
            });
            return found.isPresent();
        }
    }

    /**
     * @param room a room's unique name
     * @return the {@code StatusCallback} its in-progress Video room was created with, if any
     */
    public Optional<String> videoStatusCallback(String room) {
        synchronized (videoRooms) {
            return inProgress(room).map(r -> r.statusCallback);
        }
    }

    /**
     * @param room a room's unique name
     * @return the identities connected to its in-progress room (empty when none is in progress)
     */
    public Set<String> videoParticipants(String room) {
        synchronized (videoRooms) {
            return inProgress(room).map(r -> r.participants.values().stream().filter(p -> p.status.equals("connected"))
                    .map(p -> p.identity).collect(java.util.stream.Collectors.toUnmodifiableSet())).orElse(Set.of());
        }
    }

    /**
     * @param room a room's unique name
     * @return the status of the newest room of that name ({@code in-progress} or {@code completed}), if any
     */
    public Optional<String> videoRoomStatus(String room) {
        synchronized (videoRooms) {
            return videoRooms.values().stream().filter(r -> r.uniqueName.equals(room)).reduce((a, b) -> b).map(r -> r.status);
        }
    }

    /**
     * Video addresses a room by SID or unique name, a unique name only while that room is in progress
     * ("{@code UniqueName} ... must be unique among in-progress rooms",
     * https://www.twilio.com/docs/video/api/rooms-resource#create-room). Caller holds {@link #videoRooms}.
     */
    private Optional<VideoRoom> room(String sidOrName) {
        VideoRoom bySid = videoRooms.get(sidOrName);
        return bySid != null ? Optional.of(bySid) : inProgress(sidOrName);
    }

    private Optional<VideoRoom> inProgress(String name) {
        return videoRooms.values().stream().filter(r -> r.uniqueName.equals(name) && r.status.equals("in-progress"))
                .findFirst();
    }

    /**
     * "Set the Room's {@code Status} to {@code completed} to end it"; completing a room disconnects every
     * participant (https://www.twilio.com/docs/video/api/rooms-resource#update-room-instance-resource). Any
     * other status is refused (that page allows only {@code completed}; the fake answers Twilio's generic
     * 400 code 20001, the page names none).
     */
    private void updateRoom(HttpExchange exchange, String sidOrName, Map<String, String> form) throws IOException {
        Map<String, Object> json;
        synchronized (videoRooms) {
            Optional<VideoRoom> found = room(sidOrName);
            if (found.isEmpty()) {
                error(exchange, 404, 20404, "The requested resource /Rooms/" + sidOrName + " was not found", null);
                return;
            }
            if (!"completed".equals(form.get("Status"))) {
                error(exchange, 400, 20001, "Invalid Status: a Room can only be set to completed", null);
                return;
            }
            VideoRoom r = found.get();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            if (r.status.equals("in-progress")) {
                r.status = "completed";
                r.ended = now;
                for (VideoParticipant p : r.participants.values()) {
                    if (p.status.equals("connected")) {
                        p.status = "disconnected";
                        p.ended = now;
                        videoEvent(r, "participant-disconnected", p);
                    }
                }
                videoEvent(r, "room-ended", null);
            }
            json = roomJson(r);
        }
        send(exchange, 200, json, null);
    }

    /**
     * "The Participant Instance resource lets you kick Participants out of a Room they are connected to":
     * {@code Status=disconnected} is the only value accepted (error 53209 "Participant status is invalid",
     * https://www.twilio.com/docs/api/errors/53209); the participant is named by SID or identity, and only a
     * connected one can be kicked (https://www.twilio.com/docs/video/api/participants#update-a-participant).
     */
    private void updateRoomParticipant(HttpExchange exchange, String room, String sidOrIdentity, Map<String, String> form)
            throws IOException {
        Map<String, Object> json;
        synchronized (videoRooms) {
            Optional<VideoParticipant> found = room(room).flatMap(r -> r.participants.values().stream()
                    .filter(p -> p.status.equals("connected")
                            && (p.sid.equals(sidOrIdentity) || p.identity.equals(sidOrIdentity))).findFirst());
            if (found.isEmpty()) {
                error(exchange, 404, 20404, "The requested resource /Rooms/" + room + "/Participants/" + sidOrIdentity
                        + " was not found", null);
                return;
            }
            if (!"disconnected".equals(form.get("Status"))) {
                error(exchange, 400, 53209, "Participant status is invalid", null);
                return;
            }
            VideoParticipant p = found.get();
            p.status = "disconnected";
            p.ended = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            json = participantJson(room(room).orElseThrow(), p);
            videoEvent(room(room).orElseThrow(), "participant-disconnected", p);
        }
        send(exchange, 200, json, null);
    }

    /** Shaped as twilio-java's {@code com.twilio.rest.video.v1.Room} reads it. */
    private Map<String, Object> roomJson(VideoRoom r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sid", r.sid);
        body.put("status", r.status);
        body.put("date_created", r.created.toString());
        body.put("date_updated", (r.ended == null ? r.created : r.ended).toString());
        body.put("account_sid", ACCOUNT_SID);
        body.put("enable_turn", true);
        body.put("unique_name", r.uniqueName);
        body.put("status_callback", r.statusCallback);
        body.put("status_callback_method", "POST");
        body.put("end_time", r.ended == null ? null : r.ended.toString());
        body.put("duration", r.ended == null ? null : Duration.between(r.created, r.ended).toSeconds());
        body.put("type", "group");
        body.put("max_participants", 50);
        body.put("max_participant_duration", 14400);
        body.put("max_concurrent_published_tracks", 170);
        body.put("record_participants_on_connect", false);
        body.put("video_codecs", List.of("VP8"));
        body.put("media_region", "us1");
        body.put("audio_only", false);
        body.put("empty_room_timeout", 5);
        body.put("unused_room_timeout", 5);
        body.put("large_room", false);
        body.put("url", "https://video.twilio.com/v1/Rooms/" + r.sid);
        body.put("links", Map.of("participants", "https://video.twilio.com/v1/Rooms/" + r.sid + "/Participants"));
        return body;
    }

    /** Shaped as twilio-java's {@code com.twilio.rest.video.v1.room.Participant} reads it. */
    private Map<String, Object> participantJson(VideoRoom r, VideoParticipant p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sid", p.sid);
        body.put("room_sid", r.sid);
        body.put("account_sid", ACCOUNT_SID);
        body.put("status", p.status);
        body.put("identity", p.identity);
        body.put("date_created", p.started.toString());
        body.put("date_updated", (p.ended == null ? p.started : p.ended).toString());
        body.put("start_time", p.started.toString());
        body.put("end_time", p.ended == null ? null : p.ended.toString());
        body.put("duration", p.ended == null ? null : Duration.between(p.started, p.ended).toSeconds());
        body.put("url", "https://video.twilio.com/v1/Rooms/" + r.sid + "/Participants/" + p.sid);
        body.put("links", Map.of());
        return body;
    }

    // ---- Callbacks: Video status callbacks and Conversations webhooks ------------------------------

    /**
     * One callback the fake sent, as Twilio sends it: form parameters, {@code X-Twilio-Signature} over {@code url}
     * and the parameters, and an {@code I-Twilio-Idempotency-Token} that a retry of the same callback repeats.
     *
     * @param url       the URL Twilio called (the configured one, before any forwarding)
     * @param params    the form parameters
     * @param token     the {@code I-Twilio-Idempotency-Token}
     * @param status    the HTTP status the receiver answered, or -1 when it could not be reached
     */
    public record Delivery(String url, Map<String, String> params, String token, int status) {
        /**
         * Copies the parameters.
         *
         * @param url    the URL Twilio called
         * @param params the form parameters
         * @param token  the {@code I-Twilio-Idempotency-Token}
         * @param status the receiver's HTTP status, or -1
         */
        public Delivery {
            params = Map.copyOf(params);
        }
    }

    /** Callbacks go out one at a time, in the order the events happened. */
    private final ExecutorService callbackSender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-twilio-callbacks");
        t.setDaemon(true);
        return t;
    });
    private final java.net.http.HttpClient callbackClient = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    private final Map<String, URI> forwards = new ConcurrentHashMap<>();
    private final List<Delivery> deliveries = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Conversation SID to its webhooks' URL and filters. */
    private final Map<String, List<Map.Entry<String, Set<String>>>> webhooks = new ConcurrentHashMap<>();
    private final AtomicInteger messageIndex = new AtomicInteger();

    /**
     * Plays the reverse proxy in front of the server: callbacks Twilio sends to a URL under {@code publicBase} are
     * delivered to the same path under {@code actualBase}, still signed over the public URL (as Twilio signs the URL
     * it calls, https://www.twilio.com/docs/usage/webhooks/webhooks-security).
     *
     * @param publicBase the public base URL, e.g. {@code https://calls.example.com/app}
     * @param actualBase where the server listens, e.g. {@code http://127.0.0.1:41234/}
     * @return this fake
     */
    public FakeTwilio forward(URI publicBase, URI actualBase) {
        forwards.put(stripSlash(publicBase.toString()), actualBase);
        return this;
    }

    /** @return every callback sent so far, in order, with the receiver's answer */
    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /**
     * Waits until every callback of the events so far has been answered (bounded: 60 s).
     *
     * @return this fake
     */
    public FakeTwilio awaitCallbacks() {
        try {
            callbackSender.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("callbacks did not go out within 60 s", e);
        }
        return this;
    }

    /**
     * Sends a callback again exactly as before, as Twilio's retry or an attacker's replay would.
     *
     * @param delivery  a callback from {@link #deliveries()}
     * @param withToken whether to send its {@code I-Twilio-Idempotency-Token} (Twilio's retries do; a replay by
     *                  someone else may strip it)
     * @return the receiver's HTTP status
     */
    public int replay(Delivery delivery, boolean withToken) {
        return post(delivery.url(), delivery.params(), withToken ? delivery.token() : null,
                signature(AUTH_TOKEN, delivery.url(), delivery.params()));
    }

    /**
     * Computes {@code X-Twilio-Signature} as Twilio documents it: the full URL Twilio called, followed by each POST
     * parameter's name and value with the names sorted, HMAC-SHA1 keyed with the account's Auth Token, Base64
     * (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
     *
     * @param authToken the Auth Token
     * @param url       the URL called
     * @param params    the form parameters
     * @return the header value
     */
    public static String signature(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    /**
     * Adds a chat message to a conversation, as a member's Conversations SDK would ("Message create" is an action
     * under the per-conversation limit; this fake does not count SDK traffic), firing {@code onMessageAdded}.
     *
     * @param conversationSid the conversation
     * @param author          the author's identity
     * @param body            the text
     * @return the message's {@code IM…} SID
     */
    public String addMessage(String conversationSid, String author, String body) {
        Conversation c = Optional.ofNullable(bySid.get(conversationSid))
                .orElseThrow(() -> new IllegalArgumentException("no conversation " + conversationSid));
        String sid = newSid("IM");
        Map<String, String> params = chatBase(c);
        params.put("MessageSid", sid);
        params.put("Index", String.valueOf(messageIndex.getAndIncrement()));
        params.put("Author", author);
        params.put("Body", body);
        params.put("Attributes", "{}");
        params.put("DateCreated", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        params.put("Source", "SDK");
        Optional.ofNullable(participantSids.getOrDefault(c.sid(), Map.of()).get(author))
                .ifPresent(p -> params.put("ParticipantSid", p));
        chatEvent(c.sid(), "onMessageAdded", params);
        return sid;
    }

    /**
     * @param conversationSid a conversation
     * @return its conversation-scoped webhooks' URLs and filters
     */
    public List<Map.Entry<String, Set<String>>> conversationWebhooks(String conversationSid) {
        return List.copyOf(webhooks.getOrDefault(conversationSid, List.of()));
    }

    /**
     * {@code POST /v1/Rooms}: "Configure a {@code StatusCallback} URL when creating a Room using the REST API"
     * (https://www.twilio.com/docs/video/api/status-callbacks); a {@code UniqueName} "is unique for in-progress
     * rooms" (https://www.twilio.com/docs/video/api/rooms-resource#create-room), so a second create of an in-progress
     * name is refused with 53113 (https://www.twilio.com/docs/api/errors/53113). Only Group rooms are offered to
     * accounts created since 2024-10-21 (53126 for the legacy types, https://www.twilio.com/docs/api/errors/53126).
     * Fires {@code room-created}.
     */
    private void createRoom(HttpExchange exchange, Map<String, String> form) throws IOException {
        String type = form.getOrDefault("Type", "group");
        if (!type.equals("group")) {
            error(exchange, 400, 53126, "Room type not supported", null);
            return;
        }
        String callbackMethod = form.getOrDefault("StatusCallbackMethod", "POST");
        if (!callbackMethod.equalsIgnoreCase("POST")) {
            // Twilio also allows GET; callchat only ever asks for POST, and this fake only signs form bodies.
            error(exchange, 400, 20001, "StatusCallbackMethod must be POST in this fake", null);
            return;
        }
        Map<String, Object> json;
        synchronized (videoRooms) {
            String name = form.get("UniqueName");
            if (name != null && inProgress(name).isPresent()) {
                error(exchange, 400, ROOM_EXISTS, "Room exists", null);
                return;
            }
            VideoRoom r = new VideoRoom(newSid("RM"), name == null ? newSid("RM") : name,
                    clock.instant().truncatedTo(ChronoUnit.SECONDS));
            r.statusCallback = form.get("StatusCallback");
            videoRooms.put(r.sid, r);
            videoEvent(r, "room-created", null);
            json = roomJson(r);
        }
        send(exchange, 201, json, null);
    }

    /** Twilio's "Room exists" error on create. */
    private static final int ROOM_EXISTS = 53113;

    /**
     * {@code POST /v1/Conversations/{sid}/Webhooks}: a conversation-scoped webhook; "Only post-event webhooks are
     * supported", "as many as five" per conversation
     * (https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource). {@code Target=webhook}
     * needs {@code Configuration.Url}; {@code Configuration.Filters} lists the events (repeated parameter).
     */
    private void createWebhook(HttpExchange exchange, String service, String sidOrName, Map<String, List<String>> form)
            throws IOException {
        Optional<Conversation> c = find(service, sidOrName);
        if (c.isEmpty()) {
            error(exchange, 404, 20404, "The requested resource /Conversations/" + sidOrName + "/Webhooks was not found", null);
            return;
        }
        String target = first(form, "Target");
        String url = first(form, "Configuration.Url");
        if (!"webhook".equals(target) || url == null) {
            error(exchange, 400, 20001, "Target webhook requires Configuration.Url", null);
            return;
        }
        List<Map.Entry<String, Set<String>>> mine = webhooks.computeIfAbsent(c.get().sid(),
                k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        synchronized (mine) {
            if (mine.size() >= 5) {
                error(exchange, 400, 50350, "Webhook limit exceeded for conversation", null);
                return;
            }
            mine.add(Map.entry(url, Set.copyOf(form.getOrDefault("Configuration.Filters", List.of()))));
        }
        String sid = newSid("WH");
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sid", sid);
        body.put("account_sid", ACCOUNT_SID);
        body.put("conversation_sid", c.get().sid());
        body.put("target", "webhook");
        body.put("url", CONVERSATIONS_HOST + "/v1/Conversations/" + c.get().sid() + "/Webhooks/" + sid);
        body.put("configuration", Map.of("url", url, "method", first(form, "Configuration.Method") == null ? "POST"
                : first(form, "Configuration.Method"), "filters", form.getOrDefault("Configuration.Filters", List.of())));
        body.put("date_created", now);
        body.put("date_updated", now);
        send(exchange, 201, body, null);
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private Map<String, String> chatBase(Conversation c) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", ACCOUNT_SID);
        params.put("ChatServiceSid", c.serviceSid());
        params.put("ConversationSid", c.sid());
        return params;
    }

    private Map<String, String> participantEvent(Conversation c, String identity, String sid, Instant at) {
        Map<String, String> params = chatBase(c);
        params.put("ParticipantSid", sid);
        params.put("Identity", identity);
        params.put("DateCreated", at.toString());
        params.put("RoleSid", "RL" + "00000000000000000000000000000002");
        params.put("Source", "API");
        return params;
    }

    /**
     * Post-event webhooks of a conversation: each of its webhooks whose filters name the event gets it, with
     * {@code EventType} set (https://www.twilio.com/docs/conversations/conversations-webhooks).
     */
    private void chatEvent(String conversationSid, String eventType, Map<String, String> params) {
        for (Map.Entry<String, Set<String>> hook : webhooks.getOrDefault(conversationSid, List.of())) {
            if (hook.getValue().contains(eventType)) {
                Map<String, String> event = new LinkedHashMap<>(params);
                event.put("EventType", eventType);
                dispatch(hook.getKey(), event);
            }
        }
    }

    /**
     * A Rooms status callback, to the URL given at the room's creation only (an ad hoc room has none), with the
     * parameters of https://www.twilio.com/docs/video/api/status-callbacks. Caller holds {@link #videoRooms}.
     */
    private void videoEvent(VideoRoom r, String event, VideoParticipant p) {
        if (r.statusCallback == null) {
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", ACCOUNT_SID);
        params.put("RoomName", r.uniqueName);
        params.put("RoomSid", r.sid);
        params.put("RoomStatus", r.status);
        params.put("RoomType", "group");
        params.put("StatusCallbackEvent", event);
        params.put("Timestamp", clock.instant().toString());
        params.put("SequenceNumber", String.valueOf(r.sequence++));
        if (p != null) {
            params.put("ParticipantSid", p.sid);
            params.put("ParticipantStatus", p.status);
            params.put("ParticipantIdentity", p.identity);
            if (p.ended != null) {
                params.put("ParticipantDuration", String.valueOf(Duration.between(p.started, p.ended).toSeconds()));
            }
        }
        if (event.equals("room-ended")) {
            params.put("RoomDuration", String.valueOf(Duration.between(r.created, r.ended).toSeconds()));
        }
        dispatch(r.statusCallback, params);
    }

    private void dispatch(String url, Map<String, String> params) {
        String token = java.util.UUID.randomUUID().toString();
        try {
            callbackSender.execute(() -> {
                int status = post(url, params, token, signature(AUTH_TOKEN, url, params));
                deliveries.add(new Delivery(url, params, token, status));
            });
        } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
            // The fake is closing: Twilio would not call anyone either.
        }
    }

    private int post(String url, Map<String, String> params, String token, String signature) {
        StringBuilder form = new StringBuilder();
        params.forEach((name, value) -> form.append(form.length() == 0 ? "" : "&")
                .append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(target(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("X-Twilio-Signature", signature)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form.toString()));
        if (token != null) {
            request.header("I-Twilio-Idempotency-Token", token);
        }
        try {
            return callbackClient.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Where a callback URL is delivered: through a {@link #forward} whose public base it starts with, if any. */
    private URI target(String url) {
        for (Map.Entry<String, URI> forward : forwards.entrySet()) {
            if (url.equals(forward.getKey()) || url.startsWith(forward.getKey() + "/")) {
                String rest = url.substring(forward.getKey().length());
                return URI.create(stripSlash(forward.getValue().toString()) + rest);
            }
        }
        return URI.create(url);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Map<String, List<String>> formAll(byte[] body) {
        Map<String, List<String>> form = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return form;
    }

    // ---- state ----------------------------------------------------------------------------------

    /** @return the new SID, or empty when the unique name is taken in that service */
    private Optional<String> create(String service, String uniqueName, String friendlyName, Duration inactive,
                                    Duration closedAfter) {
        String sid = newSid("CH");
        Instant now = clock.instant();
        Conversation conversation = new Conversation(sid, service, uniqueName, friendlyName,
                now.truncatedTo(ChronoUnit.SECONDS), "active", inactive == null ? null : now.plus(inactive),
                closedAfter == null ? null : now.plus(closedAfter));
        bySid.put(sid, conversation);
        if (uniqueName != null && sidByName.putIfAbsent(key(service, uniqueName), sid) != null) {
            bySid.remove(sid);
            return Optional.empty();
        }
        return Optional.of(sid);
    }

    /**
     * Twilio's path parameter is "the SID [...] Can also be the {@code unique_name} of the Conversation"
     * (https://www.twilio.com/docs/conversations/api/conversation-resource#fetch-a-conversation-resource):
     * a SID-shaped value is looked up as a SID, anything else as a unique name. No unique name can be
     * SID-shaped (50390, see {@link #refuseCreate}), so the two never compete.
     */
    private Optional<Conversation> find(String service, String sidOrName) {
        if (SID_SHAPED.matcher(sidOrName).matches()) {
            return Optional.ofNullable(bySid.get(sidOrName)).filter(c -> c.serviceSid().equals(service));
        }
        return Optional.ofNullable(sidByName.get(key(service, sidOrName))).map(bySid::get);
    }

    private String newSid(String prefix) {
        String hex = Long.toHexString(sids.incrementAndGet());
        return prefix + ZEROS.substring(hex.length()) + hex;
    }

    private static String key(String service, String uniqueName) {
        return service + '\u0000' + uniqueName;
    }

    private Map<String, Object> json(Conversation c) {
        String url = CONVERSATIONS_HOST + "/v1/Conversations/" + c.sid();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sid", c.sid());
        body.put("account_sid", ACCOUNT_SID);
        body.put("chat_service_sid", c.serviceSid());
        body.put("messaging_service_sid", "MG" + "00000000000000000000000000000003");
        body.put("friendly_name", c.friendlyName());
        body.put("unique_name", c.uniqueName());
        body.put("attributes", "{}");
        body.put("state", c.state(clock.instant()));
        body.put("date_created", c.created().toString());
        body.put("date_updated", c.created().toString());
        Map<String, Object> timers = new LinkedHashMap<>();
        if (c.dateInactive() != null) {
            timers.put("date_inactive", c.dateInactive().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (c.dateClosed() != null) {
            timers.put("date_closed", c.dateClosed().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        body.put("timers", timers);
        body.put("url", url);
        body.put("links", Map.of("participants", url + "/Participants", "messages", url + "/Messages",
                "webhooks", url + "/Webhooks"));
        body.put("bindings", null);
        return body;
    }

    // ---- Twilio's rules ---------------------------------------------------------------------------
    // Each rule links the Twilio page that states it. Callchat's side of each is in docs/twilio-limits.md.

    /** A documented refusal: HTTP status, Twilio error code, message. */
    private record Refusal(int status, int code, String message) {
    }

    /**
     * What Twilio refuses on {@code POST /v1/Conversations} (checked after the rate limit, since a 429
     * "is never processed"):
     * <ul>
     * <li>a unique name matching {@code CH[0-9a-f]{32}}: 50390,
     *     https://www.twilio.com/docs/api/errors/50390;</li>
     * <li>timers without a {@code State} on create: 50382, https://www.twilio.com/docs/api/errors/50382;</li>
     * <li>{@code State=closed} on create: 50384, https://www.twilio.com/docs/api/errors/50384;</li>
     * <li>timers that are not ISO 8601 durations: 50379 / 50380,
     *     https://www.twilio.com/docs/api/errors/50379, https://www.twilio.com/docs/api/errors/50380;</li>
     * <li>{@code Timers.Inactive} under 1 minute: 50375, https://www.twilio.com/docs/api/errors/50375;
     *     {@code Timers.Closed} under 10 minutes: 50376, https://www.twilio.com/docs/api/errors/50376.</li>
     * </ul>
     * The error pages give no HTTP status for these; Twilio answers request validation with 400.
     */
    private static Optional<Refusal> refuseCreate(Map<String, String> form) {
        String uniqueName = form.get("UniqueName");
        if (uniqueName != null && SID_SHAPED.matcher(uniqueName).matches()) {
            return Optional.of(new Refusal(400, 50390, "Unique name should not match conversation sid pattern"));
        }
        String state = form.get("State");
        String inactive = form.get("Timers.Inactive");
        String closedAfter = form.get("Timers.Closed");
        if ((inactive != null || closedAfter != null) && state == null) {
            return Optional.of(new Refusal(400, 50382, "Timer can't be set without state"));
        }
        if ("closed".equals(state)) {
            return Optional.of(new Refusal(400, 50384, "Initial state can't be 'closed'"));
        }
        if (inactive != null) {
            Optional<Duration> d = isoDuration(inactive);
            if (d.isEmpty()) {
                return Optional.of(new Refusal(400, 50379, "TimeToInactive format is invalid"));
            }
            if (d.get().compareTo(Duration.ofMinutes(1)) < 0) {
                return Optional.of(new Refusal(400, 50375, "TimeToInactive should be greater or equal to 1 minute"));
            }
        }
        if (closedAfter != null) {
            Optional<Duration> d = isoDuration(closedAfter);
            if (d.isEmpty()) {
                return Optional.of(new Refusal(400, 50380, "TimeToClosed format is invalid"));
            }
            if (d.get().compareTo(Duration.ofMinutes(10)) < 0) {
                return Optional.of(new Refusal(400, 50376, "TimeToClosed should be greater or equal to 10 minutes"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> isoDuration(String value) {
        try {
            return Optional.of(Duration.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Conversation create and delete share one limit of 30 actions per second per service ("Increasing
     * Actions Per Second for Conversations",
     * https://www.twilio.com/en-us/changelog/increasing-actions-per-second-for-conversations-, and
     * https://www.twilio.com/docs/conversations/conversations-limits). Counted in fixed one-second
     * windows of the fake's clock, so a test with a fixed clock sees exactly the limit.
     *
     * @return whether this action fits in the current window (and is then counted)
     */
    private boolean serviceActionAllowed(String service) {
        long second = clock.instant().getEpochSecond();
        synchronized (serviceWindows) {
            long[] window = serviceWindows.computeIfAbsent(service, s -> new long[]{second, 0});
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            if (window[1] >= serviceActionsPerSecond) {
                return false;
            }
            window[1]++;
            return true;
        }
    }

    /**
     * 429 with error 20429, which "is never processed and is always safe to retry"
     * (https://www.twilio.com/docs/errors/20429), and without a {@code Retry-After} header: Twilio does
     * not promise one, so callchat must not depend on it.
     */
    private void tooManyServiceActions(HttpExchange exchange) throws IOException {
        error(exchange, 429, 20429, "Too Many Requests", null);
    }

    /**
     * Adds a participant, or says which documented rule refuses it:
     * <ul>
     * <li>a closed conversation takes no one: 50377 "Conversation state is 'closed' so it can't be used for
     *     chatting anymore" (https://www.twilio.com/docs/api/errors/50377; states:
     *     https://www.twilio.com/docs/conversations/states-timers);</li>
     * <li>an identity already there: 409, 50433 (https://www.twilio.com/docs/api/errors/50433);</li>
     * <li>"A Conversation can have up to 1000 Participants": 50417 "Participants limit exceeded"
     *     (https://www.twilio.com/docs/conversations/conversations-limits#participants-per-conversation,
     *     https://www.twilio.com/docs/api/errors/50417);</li>
     * <li>"A Chat identity (Chat user) can be part of 1000 active or inactive Conversations": 50214
     *     "User conversation limit exceeded" (https://www.twilio.com/docs/conversations/conversations-limits
     *     #maximum-channelsconversations-per-identity, https://www.twilio.com/docs/api/errors/50214).
     *     Closed conversations do not count: the states-and-timers guide closes conversations "to make sure
     *     you're not exceeding the Conversations per user limit of 1,000".</li>
     * </ul>
     */
    private Optional<Refusal> enroll(Conversation c, String identity) {
        Instant now = clock.instant();
        if (c.state(now).equals("closed")) {
            return Optional.of(new Refusal(400, 50377, "Can't update conversation as it's in final closed state"));
        }
        Set<String> members = participants.computeIfAbsent(c.sid(), s -> ConcurrentHashMap.newKeySet());
        Set<String> mine = conversationsByIdentity.computeIfAbsent(key(c.serviceSid(), identity),
                k -> ConcurrentHashMap.newKeySet());
        synchronized (members) {
            if (members.contains(identity)) {
                return Optional.of(new Refusal(409, 50433, "Participant already exists"));
            }
            if (members.size() >= participantLimit) {
                return Optional.of(new Refusal(400, 50417, "Participants limit exceeded"));
            }
            synchronized (mine) {
                long open = mine.stream().map(bySid::get)
                        .filter(other -> other != null && !other.state(now).equals("closed"))
                        .count();
                if (open >= userConversationLimit) {
                    return Optional.of(new Refusal(400, 50214, "User conversation limit exceeded"));
                }
                mine.add(c.sid());
            }
            members.add(identity);
        }
        return Optional.empty();
    }

    /**
     * {@code DELETE /v1/Conversations/{sid or unique name}} (https://www.twilio.com/docs/conversations/api/
     * conversation-resource#delete-a-conversation-resource): 204 without a body; counts against the
     * per-service rate like a create.
     */
    private void delete(HttpExchange exchange, String service, String sidOrName) throws IOException {
        if (!serviceActionAllowed(service)) {
            tooManyServiceActions(exchange);
            return;
        }
        Optional<Conversation> conversation = find(service, sidOrName);
        if (conversation.isEmpty()) {
            error(exchange, 404, 20404, "The requested resource /Conversations/" + sidOrName + " was not found", null);
            return;
        }
        forget(conversation.get().sid());
        exchange.sendResponseHeaders(204, -1);
    }

    /** Removes a conversation and everything that points at it. */
    private void forget(String sid) {
        Conversation gone = bySid.remove(sid);
        if (gone != null && gone.uniqueName() != null) {
            sidByName.remove(key(gone.serviceSid(), gone.uniqueName()), sid);
        }
        Set<String> members = participants.remove(sid);
        if (gone != null && members != null) {
            members.forEach(identity -> Optional.ofNullable(conversationsByIdentity.get(key(gone.serviceSid(), identity)))
                    .ifPresent(mine -> mine.remove(sid)));
        }
    }

    private static int positive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return limit;
    }

    // ---- HTTP plumbing --------------------------------------------------------------------------

    private static void error(HttpExchange exchange, int status, int code, String message, Integer retryAfterSeconds)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        body.put("status", status);
        send(exchange, status, body, retryAfterSeconds);
    }

    private static void send(HttpExchange exchange, int status, Object body, Integer retryAfterSeconds)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (retryAfterSeconds != null) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            closed.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new HashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }
}

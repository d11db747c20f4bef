package dev.callchat.core;

/**
 * The names and tag values of the meters callchat records on the {@link io.micrometer.core.instrument.MeterRegistry}
 * given to {@link CallSessionService.Builder#meterRegistry}. Names follow Micrometer's dotted style; a Prometheus
 * registry renders {@code callchat.login} as {@code callchat_login_seconds_*}. Every tag takes a bounded set of
 * values: no identities, room names or raw paths ever become tags. The README's operations section lists them all.
 */
public final class CallChatMeters {
    /** Timer of HTTP requests answered by core's HTTP contract; tags {@code method}, {@code uri} (the route template), {@code status}, {@code outcome}. */
    public static final String HTTP_REQUESTS = "http.server.requests";
    /** Timer of logins; tags {@code provider} and {@code outcome} (one of the {@code LOGIN_*} values). */
    public static final String LOGINS = "callchat.login";
    /** {@link #LOGINS} outcome: a token with chat. */
    public static final String LOGIN_OK = "ok";
    /** {@link #LOGINS} outcome: chat was down, the login got a video-only token. */
    public static final String LOGIN_VIDEO_ONLY = "video-only";
    /** {@link #LOGINS} outcome: the request was refused (bad input, unauthenticated). */
    public static final String LOGIN_REFUSED = "refused";
    /** {@link #LOGINS} outcome: the client's login rate limit refused it. */
    public static final String LOGIN_RATE_LIMITED = "rate-limited";
    /** {@link #LOGINS} outcome: upstream unavailable or rejected our credentials, or an unexpected failure. */
    public static final String LOGIN_ERROR = "error";

    /** Gauge: rooms of the local hub that have members. */
    public static final String HUB_ROOMS = "callchat.hub.rooms";
    /** Gauge: authenticated members across the local hub's rooms. */
    public static final String HUB_MEMBERS = "callchat.hub.members";
    /** Counter: WebSocket frames the local hub received. */
    public static final String HUB_FRAMES_IN = "callchat.hub.frames.in";
    /** Counter: WebSocket frames the local hub sent. */
    public static final String HUB_FRAMES_OUT = "callchat.hub.frames.out";
    /** Counter: members the local hub dropped because they did not read their frames fast enough. */
    public static final String HUB_SLOW_CONSUMER_CLOSES = "callchat.hub.slow.consumer.closes";
    /** Gauge: bytes of shared files the local hub holds in memory. */
    public static final String HUB_FILE_BYTES = "callchat.hub.files";

    /** Counter of Twilio REST calls; tags {@code operation} and {@code status} ({@code 2xx}, {@code 4xx}, {@code 429}, {@code 5xx}, {@code io}). */
    public static final String TWILIO_CALLS = "callchat.twilio.calls";
    /** Counter of Twilio calls tried again after a 429, 5xx or I/O failure; tag {@code operation}. */
    public static final String TWILIO_RETRIES = "callchat.twilio.retries";
    /** Gauge, 1 for the breaker's current state and 0 for the others; tag {@code state} ({@code closed}, {@code open}, {@code half_open}, …). */
    public static final String TWILIO_BREAKER_STATE = "callchat.twilio.breaker.state";
    /** Gauge: enrollments waiting for their turn under Twilio's per-conversation rate. */
    public static final String TWILIO_ENROLLMENT_QUEUE_DEPTH = "callchat.twilio.enrollment.queue.depth";
    /** Timer: how long an enrollment waited in that queue. */
    public static final String TWILIO_ENROLLMENT_QUEUE_WAIT = "callchat.twilio.enrollment.queue.wait";

    private CallChatMeters() {
    }
}

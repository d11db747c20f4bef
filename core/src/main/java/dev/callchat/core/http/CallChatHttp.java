package dev.callchat.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.callchat.core.CallChatException;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ErrorKind;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole HTTP contract of callchat (see {@code docs/architecture.md}), framework-free: routing, methods,
 * content types, JSON parsing, the body limit, login, health, the web client's static files,
 * the per-client login rate limit, problem+json errors and security headers. An adapter turns
 * its framework's request into an {@link HttpCall}, calls {@link #handle}, and writes the
 * {@link HttpReply} back; it decides nothing itself.
 *
 * <pre>{@code
 * CallChatHttp http = new CallChatHttp(CallSessionService.create(Config.fromEnvironment()));
 * HttpReply reply = http.handle(call);   // status, headers, body: write them as they are
 * }</pre>
 *
 * Routes: {@code POST /login} and {@code /api/login}; {@code GET /health}, {@code /health/live} and
 * {@code /health/ready}; {@code GET /metrics} when built with a {@link MetricsScrape}; {@code GET /openapi.json}
 * (this contract as an OpenAPI 3.1 document); {@code GET}/{@code HEAD}
 * of {@code /}, {@code /index.html} and the other files under the asset root; {@code /local/ws}
 * is the adapter's WebSocket in local mode and a 404 in twilio mode; in local mode {@code POST /local/files}
 * shares a file in the caller's room and {@code GET /local/files/{id}} serves it to the room's members
 * (adapters pass bodies of up to the upload limit for that one route, see {@link HttpCall#body(int)}); a room's
 * host acts on it with {@code POST /room/remove}, {@code /room/ban}, {@code /room/lock}, {@code /room/unlock},
 * {@code /room/end} and {@code /room/host} ({@code Authorization: Bearer <token>}, see {@link dev.callchat.core.RoomModeration});
 * {@code POST /twilio/events} takes Twilio's signed status callbacks and webhooks when the provider reports room
 * events that way ({@link dev.callchat.core.spi.ProviderCallbacks}), and is a 404 otherwise.
 * Thread-safe; build one per server.
 */
public final class CallChatHttp {
    private static final Logger LOG = LoggerFactory.getLogger(CallChatHttp.class);

    /** The largest login body accepted, in bytes; larger bodies get 413. */
    public static final int MAX_BODY_BYTES = 4096;
    /** Where the {@code web-client} jar keeps its files on the classpath. */
    public static final String DEFAULT_ASSET_ROOT = "META-INF/resources/callchat/";
    /** The path of the local provider's WebSocket endpoint. */
    public static final String LOCAL_WS_PATH = "/local/ws";
    /** The path of the OpenAPI 3.1 document describing this contract. */
    public static final String OPENAPI_PATH = "/openapi.json";
    /** Where the local provider's members upload shared files; {@code /local/files/{id}} serves them. */
    public static final String LOCAL_FILES_PATH = "/local/files";
    /** The path of the Prometheus scrape, served when a {@link MetricsScrape} was given. */
    public static final String METRICS_PATH = "/metrics";

    /** Where Twilio's status callbacks and webhooks arrive (twilio mode with room events configured; else 404). */
    public static final String TWILIO_EVENTS_PATH = "/twilio/events";
    /** The largest callback body accepted at {@link #TWILIO_EVENTS_PATH}, in bytes: room for a long chat message. */
    public static final int MAX_CALLBACK_BYTES = 64 * 1024;

    /** The slowest upload rate a shared file is given time for, on top of {@link #bodyDeadline()}: 64 KiB/s. */
    public static final int MIN_UPLOAD_BYTES_PER_SECOND = 64 * 1024;

    private static final int MAX_JSON_DEPTH = 16;

    private final CallSessionService service;
    private final Replies replies;
    private final LoginEndpoint login;
    private final LoginRateLimit rateLimit;
    private final StaticAssets assets;
    private final ObjectMapper mapper;
    private final byte[] openApi = openApiDocument();
    private final LocalFilesEndpoint files;
    private final RoomActionsEndpoint roomActions;
    private final MetricsScrape metrics;
    private final HttpMeters meters;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final OriginPolicy origins;
    private final ProviderCallbacksEndpoint callbacks;

    /**
     * Serves the web client from {@link #DEFAULT_ASSET_ROOT}.
     *
     * @param service the login service
     */
    public CallChatHttp(CallSessionService service) {
        this(service, DEFAULT_ASSET_ROOT);
    }

    /**
     * @param service   the login service
     * @param assetRoot the classpath folder holding {@code index.html} and the other files of the web
     *                  client, e.g. {@code "META-INF/resources/callchat/"}
     */
    public CallChatHttp(CallSessionService service, String assetRoot) {
        this(service, assetRoot, null);
    }

    /**
     * @param service   the login service; {@code http.server.requests} goes to its
     *                  {@link CallSessionService#meterRegistry() registry}
     * @param assetRoot the classpath folder holding the web client, e.g. {@link #DEFAULT_ASSET_ROOT}
     * @param metrics   renders {@code GET /metrics}, e.g. {@code prometheusRegistry::scrape}; null leaves
     *                  {@code /metrics} a 404 (no scrape, or one served on a separate port)
     */
    public CallChatHttp(CallSessionService service, String assetRoot, @Nullable MetricsScrape metrics) {
        this.metrics = metrics;
        this.service = Objects.requireNonNull(service, "service");
        JsonFactory json = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
                .build();
        this.mapper = JsonMapper.builder(json).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        this.replies = new Replies(mapper);
        this.meters = new HttpMeters(service.meterRegistry(), service.providerName());
        this.origins = new OriginPolicy(service.config().allowedOrigins());
        this.login = new LoginEndpoint(service, mapper, replies, meters, origins);
        this.roomActions = new RoomActionsEndpoint(service.moderation(), login, mapper, replies);
        this.rateLimit = new LoginRateLimit(service.config().loginRate());
        this.callbacks = service.providerCallbacks() == dev.callchat.core.spi.ProviderCallbacks.NONE
                || service.config().publicUrl().isEmpty() ? null
                : new ProviderCallbacksEndpoint(service.providerCallbacks(), service.config().publicUrl().get(), replies);
        this.files = service.localHub().map(hub -> new LocalFilesEndpoint(hub, mapper, replies)).orElse(null);
        this.assets = new StaticAssets(CallChatHttp.class.getClassLoader(), Objects.requireNonNull(assetRoot, "assetRoot"));
    }

    /**
     * Answers one request. Never throws: refusals become problem+json replies, and an unexpected
     * exception becomes a 500 problem (logged here with its stack trace, never rendered).
     *
     * @param call the request
     * @return the reply to write as-is
     */
    public HttpReply handle(HttpCall call) {
        long start = meters.start();
        HttpReply reply = answer(call, start);
        String path = call.rawPath() == null || call.rawPath().isEmpty() ? "/" : call.rawPath();
        meters.request(call.method(), routeTemplate(path, reply.status()), reply.status(), start);
        return reply;
    }

    /**
     * Stops taking new work gracefully: from now on {@code GET /health/ready} answers 503, so a load balancer
     * stops sending traffic while requests in flight finish. The runnable servers call it on SIGTERM before they
     * close; an application embedding callchat calls it when its own shutdown begins. Idempotent.
     */
    public void drain() {
        draining.set(true);
    }

    /** @return what {@code GET /health/ready} reports: not draining, and the service takes logins */
    public boolean ready() {
        return !draining.get() && service.ready();
    }

    private HttpReply refusal(CallChatException e, HttpCall call) {
        Map<String, String> extra = e instanceof MethodNotAllowed m ? Map.of("Allow", m.allow)
                : e.kind() == ErrorKind.UNAUTHORIZED && (isFilesPath(call.rawPath())
                        || RoomActionsEndpoint.handles(String.valueOf(call.rawPath())))
                ? Map.of("WWW-Authenticate", "Bearer realm=\"callchat-local\"") : Map.of();
        return replies.problem(e.kind(), e.detail(), e.retryAfter().orElse(null), extra);
    }

    /**
     * What core refuses from a request's head alone, before any of its body is read: an upload of a shared file
     * ({@code POST /local/files}) whose bearer token is missing, invalid or not a member's (401 or 403).
     * {@link InFlight#enterUpload(HttpCall)} asks this before it gives an upload a slot, so that no adapter reads
     * (or holds in memory) an upload core will refuse.
     *
     * @param call the request, its body not read yet
     * @return the refusal, already counted in {@code http.server.requests}, or empty to go on and read the body
     */
    Optional<HttpReply> refuseBeforeBody(HttpCall call) {
        if (files == null || !LOCAL_FILES_PATH.equals(call.rawPath()) || !"POST".equals(call.method())) {
            return Optional.empty();
        }
        long start = meters.start();
        try {
            files.authorize(call);
            return Optional.empty();
        } catch (CallChatException e) {
            HttpReply reply = call.secure() ? Replies.withHsts(refusal(e, call)) : refusal(e, call);
            meters.request(call.method(), LOCAL_FILES_PATH, reply.status(), start);
            return Optional.of(reply);
        }
    }

    private HttpReply answer(HttpCall call, long start) {
        HttpReply reply = answerPlain(call, start);
        return call.secure() ? Replies.withHsts(reply) : reply;
    }

    private HttpReply answerPlain(HttpCall call, long start) {
        try {
            HttpReply reply = route(call, start);
            return "HEAD".equals(call.method()) ? Replies.withoutBody(reply) : reply;
        } catch (CallChatException e) {
            return refusal(e, call);
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering {} {}", call.method(), LoginEndpoint.printable(call.rawPath()), e);
            return problem(ErrorKind.INTERNAL_ERROR, "Something went wrong on our side; it has been logged");
        }
    }

    /**
     * Decides a WebSocket upgrade's origin before the adapter upgrades {@link #LOCAL_WS_PATH}. Browsers
     * send no CORS preflight for a WebSocket, so without this any site could open one with the user's
     * network position: the page must be this server's own origin or one of
     * {@link dev.callchat.core.config.Config#allowedOrigins()}; a request without {@code Origin} (not a
     * browser) passes.
     *
     * @param call the upgrade request (its body is not read)
     * @return empty to go ahead with the upgrade, or the 403 problem to answer instead
     */
    public Optional<HttpReply> refuseWebSocket(HttpCall call) {
        if (origins.webSocketAllowed(call)) {
            return Optional.empty();
        }
        HttpReply refused = problem(ErrorKind.FORBIDDEN, "A WebSocket may be opened only from this server's own pages "
                + "(or an origin listed in CALLCHAT_ALLOWED_ORIGINS), not from " + LoginEndpoint.printable(
                call.header("Origin").orElse("")));
        return Optional.of(call.secure() ? Replies.withHsts(refused) : refused);
    }

    /**
     * @return how long a client may take to send a request body once its headers are in; adapters drop
     *         the connection after it ({@code CALLCHAT_BODY_DEADLINE})
     */
    public Duration bodyDeadline() {
        return service.config().bodyDeadline();
    }

    /**
     * The deadline for a body of a declared size: {@link #bodyDeadline()}, plus, for a large upload, the
     * time it takes at {@link #MIN_UPLOAD_BYTES_PER_SECOND} (a slow but working link), so that a big file
     * on a slow link gets through while a trickle of a few bytes is still dropped.
     *
     * @param declaredLength the {@code Content-Length}, or -1 for a streamed (chunked) body
     * @param rawPath        the request path as in {@link HttpCall#rawPath()}
     * @return the deadline for the whole body
     */
    public Duration bodyDeadline(long declaredLength, String rawPath) {
        long size = declaredLength >= 0 ? declaredLength : maxBodyBytes(rawPath);
        return bodyDeadline().plusMillis(Math.max(0, size - MAX_BODY_BYTES) * 1000 / MIN_UPLOAD_BYTES_PER_SECOND);
    }

    /**
     * Renders a failure that an adapter detects itself, before it can build an {@link HttpCall}
     * (for example its framework rejected an over-long request line or too many headers), in
     * exactly the format {@link #handle} uses: problem+json, security headers, {@code Retry-After}
     * on 429 and 503.
     *
     * @param kind   what went wrong
     * @param detail a message for the client; must not contain secrets
     * @return the reply
     */
    public HttpReply problem(ErrorKind kind, String detail) {
        return replies.problem(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(detail, "detail"), null, Map.of());
    }

    /**
     * The problem for a status that an adapter's framework decided itself (no route, a request it could
     * not decode), with the same detail {@link #handle} would give.
     *
     * @param status the framework's status code
     * @return the reply: the matching {@link ErrorKind}, or 400/500 for a status without one
     */
    public HttpReply problem(int status) {
        ErrorKind kind = ErrorKind.forStatus(status);
        return problem(kind, defaultDetail(kind));
    }

    private static String defaultDetail(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> "Nothing is served at this path";
            case PAYLOAD_TOO_LARGE -> "The request body is too large: a login takes at most " + MAX_BODY_BYTES
                    + " bytes, a shared file at most the configured upload limit";
            case URI_TOO_LONG -> "The request line is too long";
            case HEADERS_TOO_LARGE -> "The request headers are too large";
            case INTERNAL_ERROR, SERVICE_UNAVAILABLE -> "Something went wrong on our side; it has been logged";
            default -> "The request could not be understood";
        };
    }

    /**
     * Checks a path prefix that callchat is mounted under in a larger application.
     *
     * @param mount a prefix such as {@code /video} (a trailing slash is dropped), or null/blank for none
     * @return the prefix without trailing slash, or empty
     * @throws IllegalArgumentException when it does not start with {@code /}
     */
    public static String normalizedMount(String mount) {
        String trimmed = mount == null ? "" : mount.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.isEmpty() && !trimmed.startsWith("/")) {
            throw new IllegalArgumentException("the mount path must start with '/', such as /video (got '" + mount + "')");
        }
        return trimmed;
    }

    /**
     * The line a server logs once it listens.
     *
     * @param http  the plain HTTP base URL
     * @param https the HTTPS base URL, when there is one
     * @return e.g. {@code callchat listening on http://127.0.0.1:8080/ (provider: local, room: My Room)}
     */
    public String startupLine(java.net.URI http, Optional<java.net.URI> https) {
        return "callchat listening on " + http + https.map(uri -> " and " + uri).orElse("") + " (provider: "
                + service.providerName() + ", room: " + service.config().defaultRoom() + ")";
    }

    /**
     * A permanent redirect (308) with the usual security headers. For an adapter mounted under a
     * prefix that is asked for the prefix itself ({@code /video}): the page's relative links
     * ({@code login}, {@code js/main.js}) only resolve below {@code /video/}, so it redirects there.
     *
     * @param location where to go, e.g. {@code /video/}; must not come unchecked from the client
     * @return the reply
     */
    public HttpReply redirect(String location) {
        Map<String, String> headers = Replies.baseHeaders();
        headers.put("Location", Objects.requireNonNull(location, "location"));
        headers.put("Cache-Control", "no-cache");
        return new HttpReply(308, headers, new byte[0]);
    }

    /**
     * @return whether the adapter must serve the local provider's WebSocket at {@link #LOCAL_WS_PATH}
     *         (the service has a room hub); in twilio mode {@link #handle} answers that path with 404
     */
    public boolean localWebSocketEnabled() {
        return service.localHub().isPresent();
    }

    /**
     * Adapters whose framework caps request bodies globally raise that cap to this for
     * {@link #LOCAL_FILES_PATH} only; every other route keeps {@link #MAX_BODY_BYTES}.
     *
     * @param rawPath the request path as in {@link HttpCall#rawPath()}
     * @return the largest body this path accepts, in bytes
     */
    public int maxBodyBytes(String rawPath) {
        if (files != null && LOCAL_FILES_PATH.equals(rawPath)) {
            return (int) Math.min(Integer.MAX_VALUE - 1, service.localHub().orElseThrow().uploadLimits().maxFileBytes());
        }
        if (callbacks != null && TWILIO_EVENTS_PATH.equals(rawPath)) {
            return MAX_CALLBACK_BYTES;
        }
        return MAX_BODY_BYTES;
    }

    /** @return the largest body any path accepts: what a framework's global cap must allow at least */
    public int maxBodyBytes() {
        return Math.max(maxBodyBytes(LOCAL_FILES_PATH), maxBodyBytes(TWILIO_EVENTS_PATH));
    }

    private static boolean isFilesPath(String rawPath) {
        return rawPath != null && (rawPath.equals(LOCAL_FILES_PATH) || rawPath.startsWith(LOCAL_FILES_PATH + "/"));
    }

    /** @return the login service, for adapters that bridge its {@code localHub()} */
    public CallSessionService service() {
        return service;
    }

    /**
     * The {@code uri} tag: a route template, never the raw path (a tag per path would grow without bound).
     * Files under the asset root share one template; anything unknown is {@code NOT_FOUND}.
     */
    private static String routeTemplate(String path, int status) {
        return switch (path) {
            case "/login", "/api/login", "/health", "/health/live", "/health/ready", METRICS_PATH, OPENAPI_PATH,
                 LOCAL_WS_PATH, LOCAL_FILES_PATH, TWILIO_EVENTS_PATH -> path;
            default -> isFilesPath(path) ? LOCAL_FILES_PATH + "/{id}" : status == 404 ? "NOT_FOUND" : "/**";
        };
    }

    private HttpReply route(HttpCall call, long start) {
        String path = call.rawPath() == null || call.rawPath().isEmpty() ? "/" : call.rawPath();
        String method = call.method();
        switch (path) {
            case "/login", "/api/login" -> {
                if (!method.equals("POST")) {
                    throw notAllowed("POST");
                }
                if (service.identifiesUsers()) {
                    // The application's Authenticator knows who this is: one budget per user, so users
                    // behind one proxy or NAT do not share one (see docs/embedding.md). The service
                    // records a refusal by admit as a rate-limited login.
                    return login.login(call, start, identity -> admit("user:" + identity, "Too many logins for this user"));
                }
                try {
                    admit(clientKey(call), "Too many logins from your address");
                } catch (CallChatException e) {
                    meters.loginRateLimited(start);
                    throw e;
                }
                return login.login(call, start, identity -> { });
            }
            case "/health" -> {
                requireGetOrHead(method);
                return replies.json(200, mapper.createObjectNode().put("status", "UP").put("provider", service.providerName()));
            }
            case "/health/live" -> {
                // The process answers: that is all liveness means. Restarting will not fix an upstream outage.
                requireGetOrHead(method);
                return replies.json(200, mapper.createObjectNode().put("status", "UP"));
            }
            case "/health/ready" -> {
                requireGetOrHead(method);
                boolean ready = ready();
                return replies.json(ready ? 200 : 503, mapper.createObjectNode().put("status", ready ? "UP" : "DOWN"));
            }
            case METRICS_PATH -> {
                if (metrics == null) {
                    throw notFound();
                }
                requireGetOrHead(method);
                Map<String, String> headers = Replies.baseHeaders();
                headers.put("Content-Type", MetricsScrape.PROMETHEUS_TEXT);
                headers.put("Cache-Control", "no-store");
                return new HttpReply(200, headers, metrics.scrape().getBytes(StandardCharsets.UTF_8));
            }
            case OPENAPI_PATH -> {
                requireGetOrHead(method);
                Map<String, String> headers = Replies.baseHeaders();
                headers.put("Content-Type", Replies.JSON);
                headers.put("Cache-Control", "no-cache");
                return new HttpReply(200, headers, openApi);
            }
            case LOCAL_WS_PATH -> {
                if (!localWebSocketEnabled()) {
                    throw notFound();
                }
                requireGetOrHead(method);
                throw new CallChatException(ErrorKind.BAD_REQUEST, "This endpoint only accepts WebSocket upgrades");
            }
            case TWILIO_EVENTS_PATH -> {
                if (callbacks == null) {
                    throw notFound();
                }
                if (!method.equals("POST")) {
                    throw notAllowed("POST");
                }
                return callbacks.handle(call);
            }
            case LOCAL_FILES_PATH -> {
                if (files == null) {
                    throw notFound();
                }
                if (!method.equals("POST")) {
                    throw notAllowed("POST");
                }
                return files.upload(call);
            }
            default -> {
                if (RoomActionsEndpoint.handles(path)) {
                    if (!method.equals("POST")) {
                        throw notAllowed("POST");
                    }
                    return roomActions.handle(call, path.substring(RoomActionsEndpoint.PREFIX.length()));
                }
                if (isFilesPath(path)) {
                    if (files == null) {
                        throw notFound();
                    }
                    requireGetOrHead(method);
                    return files.download(call, path.substring(LOCAL_FILES_PATH.length() + 1));
                }
                StaticAssets.Asset asset = assets.find(path).orElseThrow(CallChatHttp::notFound);
                requireGetOrHead(method);
                return serve(asset, call);
            }
        }
    }

    private void admit(String key, String whose) {
        Optional<Duration> wait = rateLimit.tryAcquire(key);
        if (wait.isPresent()) {
            throw new CallChatException(ErrorKind.TOO_MANY_REQUESTS, whose + "; try again later", wait.get(), null);
        }
    }

    private HttpReply serve(StaticAssets.Asset asset, HttpCall call) {
        Map<String, String> headers = Replies.baseHeaders();
        headers.put("Content-Type", asset.contentType());
        headers.put("ETag", asset.etag());
        // HTML names the other files, so it is always revalidated; the rest may be reused for a while.
        headers.put("Cache-Control", asset.html() ? "no-cache" : "public, max-age=300");
        if (asset.html()) {
            headers.put("Content-Security-Policy", Replies.CSP);
        }
        if (StaticAssets.notModified(call.header("If-None-Match"), asset.etag())) {
            headers.remove("Content-Type");
            return new HttpReply(304, headers, new byte[0]);
        }
        return new HttpReply(200, headers, asset.bytes());
    }

    private String clientKey(HttpCall call) {
        if (service.config().trustProxy()) {
            // The rightmost entry is the one our own proxy appended; entries left of it are whatever
            // the client sent, so keying on them would let anyone escape the limit by spoofing.
            Optional<String> appendedByProxy = call.header("X-Forwarded-For")
                    .map(v -> v.substring(v.lastIndexOf(',') + 1).strip())
                    .filter(v -> !v.isEmpty());
            if (appendedByProxy.isPresent()) {
                return appendedByProxy.get();
            }
        }
        return call.remoteAddress();
    }

    private static byte[] openApiDocument() {
        try (java.io.InputStream in = CallChatHttp.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from callchat-core's jar");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read openapi.json from callchat-core's jar", e);
        }
    }

    private static void requireGetOrHead(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw notAllowed("GET, HEAD");
        }
    }

    private static CallChatException notAllowed(String allow) {
        return new MethodNotAllowed(allow);
    }

    private static CallChatException notFound() {
        return new CallChatException(ErrorKind.NOT_FOUND, "Nothing is served at this path");
    }

    /** Carries the {@code Allow} header value to the renderer. */
    private static final class MethodNotAllowed extends CallChatException {
        private static final long serialVersionUID = 1L;
        private final String allow;

        MethodNotAllowed(String allow) {
            super(ErrorKind.METHOD_NOT_ALLOWED, "This path accepts only " + allow);
            this.allow = allow;
        }
    }
}

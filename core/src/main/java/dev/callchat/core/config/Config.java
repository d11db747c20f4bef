package dev.callchat.core.config;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything callchat reads from its environment (DESIGN section 7). Build it with
 * {@link #fromEnvironment()} (process environment plus an optional {@code .env} file) or
 * {@link #from(Map)}; both validate every value and fail with a one-line {@link ConfigException}.
 *
 * @param twilio                  Twilio credentials; empty selects the embedded local provider
 * @param conversationsServiceSid the Conversations service to use ({@code IS…}); empty uses the account's default
 * @param apiBaseUrl              where Twilio REST traffic goes instead of {@code https://*.twilio.com} (tests, proxies)
 * @param defaultRoom             the room a login joins when it names none
 * @param tokenTtl                access-token lifetime
 * @param chatRequired            whether a login fails (503) instead of degrading to video-only when chat is down
 * @param loginRate               per-client login rate limit
 * @param trustProxy              whether to believe {@code X-Forwarded-For} for the client address
 * @param upstreamTimeout         connect/read timeout of one Twilio call
 * @param loginDeadline           overall budget for the upstream part of one login, retries included
 * @param localSecret             HMAC secret of the local provider's tokens; empty means random per process
 * @param host                    the address to listen on
 * @param port                    the port to listen on (0 picks a free one)
 * @param https                   an HTTPS listener beside the HTTP one ({@code CALLCHAT_TLS_*}); empty for none
 * @param maxUploadBytes          largest file a chat member may share ({@code CALLCHAT_MAX_UPLOAD}, default 10 MB)
 * @param allowedOrigins          origins, besides the server's own, whose pages may open {@code /local/ws} and post a
 *                                login as {@code text/plain} ({@code CALLCHAT_ALLOWED_ORIGINS}: the public origin
 *                                behind a reverse proxy), each as {@code scheme://host[:port]}, lower case, no default port
 * @param bodyDeadline            how long a client may take to send a request body once its headers are in
 *                                ({@code CALLCHAT_BODY_DEADLINE}, default 10 s; uploads get this plus time for their size)
 */
public record Config(Optional<TwilioCredentials> twilio,
                     Optional<String> conversationsServiceSid,
                     Optional<URI> apiBaseUrl,
                     String defaultRoom,
                     Duration tokenTtl,
                     boolean chatRequired,
                     LoginRate loginRate,
                     boolean trustProxy,
                     Duration upstreamTimeout,
                     Duration loginDeadline,
                     Optional<String> localSecret,
                     String host,
                     int port,
                     Optional<HttpsListener> https,
                     long maxUploadBytes,
                     java.util.Set<String> allowedOrigins,
                     Duration bodyDeadline) {

    /** Twilio's maximum access-token lifetime. */
    public static final Duration MAX_TOKEN_TTL = Duration.ofHours(24);
    /** Default of {@link #maxUploadBytes()}: 10 MB. */
    public static final long DEFAULT_MAX_UPLOAD = 10L * 1024 * 1024;
    /** Smallest accepted {@code CALLCHAT_MAX_UPLOAD}: 1 KiB. */
    public static final long MIN_MAX_UPLOAD = 1024;
    /** Largest accepted {@code CALLCHAT_MAX_UPLOAD}: 100 MB (the local provider keeps files in memory). */
    public static final long MAX_MAX_UPLOAD = 100L * 1024 * 1024;
    /** Default of {@link #bodyDeadline()}: 10 s, enough for a login body on any working connection. */
    public static final Duration DEFAULT_BODY_DEADLINE = Duration.ofSeconds(10);

    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-f]{32}");
    private static final Pattern API_KEY_SID = Pattern.compile("SK[0-9a-f]{32}");
    private static final Pattern SERVICE_SID = Pattern.compile("IS[0-9a-f]{32}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib)?");
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*/\\s*(s|sec|second|m|min|minute|h|hour)");

    /**
     * Checks components for null and range; prefer {@link #from(Map)}, which explains errors per variable.
     *
     * @param twilio                  Twilio credentials; empty selects the embedded local provider
     * @param conversationsServiceSid the Conversations service to use ({@code IS…}); empty uses the account's default
     * @param apiBaseUrl              where Twilio REST traffic goes instead of {@code https://*.twilio.com} (tests, proxies)
     * @param defaultRoom             the room a login joins when it names none
     * @param tokenTtl                access-token lifetime
     * @param chatRequired            whether a login fails (503) instead of degrading to video-only when chat is down
     * @param loginRate               per-client login rate limit
     * @param trustProxy              whether to believe {@code X-Forwarded-For} for the client address
     * @param upstreamTimeout         connect/read timeout of one Twilio call
     * @param loginDeadline           overall budget for the upstream part of one login, retries included
     * @param localSecret             HMAC secret of the local provider's tokens; empty means random per process
     * @param host                    the address to listen on
     * @param port                    the port to listen on (0 picks a free one)
     * @param https                   an HTTPS listener beside the HTTP one ({@code CALLCHAT_TLS_*}); empty for none
     * @param maxUploadBytes          largest file a chat member may share ({@code CALLCHAT_MAX_UPLOAD}, default 10 MB)
     * @param allowedOrigins          other origins trusted like the server's own ({@code CALLCHAT_ALLOWED_ORIGINS})
     * @param bodyDeadline            how long a client may take to send a request body ({@code CALLCHAT_BODY_DEADLINE})
     */
    public Config {
        Objects.requireNonNull(twilio, "twilio");
        Objects.requireNonNull(conversationsServiceSid, "conversationsServiceSid");
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(defaultRoom, "defaultRoom");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(loginRate, "loginRate");
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
        Objects.requireNonNull(loginDeadline, "loginDeadline");
        Objects.requireNonNull(localSecret, "localSecret");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(https, "https");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxUploadBytes < MIN_MAX_UPLOAD || maxUploadBytes > MAX_MAX_UPLOAD) {
            throw new IllegalArgumentException("maxUploadBytes out of range: " + maxUploadBytes);
        }
        allowedOrigins = java.util.Set.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
        Objects.requireNonNull(bodyDeadline, "bodyDeadline");
        if (bodyDeadline.isZero() || bodyDeadline.isNegative()) {
            throw new IllegalArgumentException("bodyDeadline must be positive");
        }
    }

    /** @return the configuration with every default: local provider, {@code 127.0.0.1:8080} */
    public static Config defaults() {
        return from(Map.of());
    }

    /**
     * Reads the process environment, over a {@code .env} file in the working directory if present.
     *
     * @return the validated configuration
     * @throws ConfigException naming the first invalid variable
     */
    public static Config fromEnvironment() {
        return fromEnvironment(Path.of(""), System.getenv());
    }

    /**
     * @param dotenvDirectory where to look for a {@code .env} file (missing is fine)
     * @param environment     variables that override the file's (normally {@link System#getenv()})
     * @return the validated configuration
     * @throws ConfigException naming the first invalid variable
     */
    public static Config fromEnvironment(Path dotenvDirectory, Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        try {
            Dotenv dotenv = Dotenv.configure()
                    .directory(dotenvDirectory.toAbsolutePath().toString())
                    .ignoreIfMissing()
                    .load();
            for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                merged.put(entry.getKey(), entry.getValue());
            }
        } catch (DotenvException e) {
            // dotenv-java's messages quote the offending line, which may hold a secret: don't echo it.
            throw new ConfigException(".env", "the file is malformed (expected KEY=value lines)");
        }
        merged.putAll(environment);
        return from(merged);
    }

    /**
     * @param variables variable name to value; absent or blank means "use the default"
     * @return the validated configuration
     * @throws ConfigException naming the first invalid variable
     */
    public static Config from(Map<String, String> variables) {
        Vars v = new Vars(variables);
        Optional<TwilioCredentials> twilio = twilio(v);
        Optional<String> serviceSid = v.get("TWILIO_CONVERSATIONS_SERVICE_SID")
                .map(s -> matching("TWILIO_CONVERSATIONS_SERVICE_SID", s, SERVICE_SID, "IS"));
        Optional<URI> apiBaseUrl = v.get("TWILIO_API_BASE_URL").map(Config::baseUrl);
        String room = v.get("CALLCHAT_ROOM").orElse("My Room");
        if (room.strip().isEmpty() || room.codePointCount(0, room.length()) > 128
                || room.codePoints().anyMatch(Character::isISOControl)) {
            throw new ConfigException("CALLCHAT_ROOM", "must be 1-128 characters without control characters");
        }
        Duration ttl = v.get("CALLCHAT_TOKEN_TTL").map(s -> duration("CALLCHAT_TOKEN_TTL", s, Duration.ofSeconds(1),
                MAX_TOKEN_TTL)).orElse(Duration.ofHours(1));
        if (ttl.compareTo(Duration.ofSeconds(60)) < 0) {
            throw new ConfigException("CALLCHAT_TOKEN_TTL", "must be at least 60 seconds (got " + ttl.toSeconds() + "s)");
        }
        boolean chatRequired = v.get("CALLCHAT_CHAT_REQUIRED").map(s -> bool("CALLCHAT_CHAT_REQUIRED", s)).orElse(false);
        LoginRate rate = v.get("CALLCHAT_LOGIN_RATE").map(Config::rate).orElse(LoginRate.DEFAULT);
        boolean trustProxy = v.get("CALLCHAT_TRUST_PROXY").map(s -> bool("CALLCHAT_TRUST_PROXY", s)).orElse(false);
        Duration upstreamTimeout = v.get("CALLCHAT_UPSTREAM_TIMEOUT").map(s -> duration("CALLCHAT_UPSTREAM_TIMEOUT", s,
                Duration.ofMillis(50), Duration.ofMinutes(1))).orElse(Duration.ofSeconds(5));
        Duration loginDeadline = v.get("CALLCHAT_LOGIN_DEADLINE").map(s -> duration("CALLCHAT_LOGIN_DEADLINE", s,
                Duration.ofMillis(100), Duration.ofMinutes(2))).orElse(Duration.ofSeconds(10));
        Optional<String> localSecret = v.get("CALLCHAT_LOCAL_SECRET");
        if (localSecret.isPresent() && localSecret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new ConfigException("CALLCHAT_LOCAL_SECRET", "must be at least 32 bytes long (HS256 key)");
        }
        String host = v.get("HOST").orElse("127.0.0.1");
        int port = v.get("PORT").map(s -> integer("PORT", s, 0, 65535)).orElse(8080);
        Optional<HttpsListener> https = https(v, port);
        long maxUpload = v.get("CALLCHAT_MAX_UPLOAD").map(Config::size).orElse(DEFAULT_MAX_UPLOAD);
        java.util.Set<String> origins = v.get("CALLCHAT_ALLOWED_ORIGINS").map(Config::origins).orElse(java.util.Set.of());
        Duration bodyDeadline = v.get("CALLCHAT_BODY_DEADLINE").map(s -> duration("CALLCHAT_BODY_DEADLINE", s,
                Duration.ofMillis(100), Duration.ofMinutes(5))).orElse(DEFAULT_BODY_DEADLINE);
        return new Config(twilio, serviceSid, apiBaseUrl, room.strip(), ttl, chatRequired, rate, trustProxy,
                upstreamTimeout, loginDeadline, localSecret, host, port, https, maxUpload, origins, bodyDeadline);
    }

    /** @return {@code "twilio"} when credentials are configured, else {@code "local"} */
    public String providerName() {
        return twilio.isPresent() ? "twilio" : "local";
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        return "Config[provider=" + providerName() + ", twilio=" + twilio.map(TwilioCredentials::toString).orElse("none")
                + ", conversationsServiceSid=" + conversationsServiceSid.orElse("default")
                + ", apiBaseUrl=" + apiBaseUrl.map(URI::toString).orElse("default")
                + ", defaultRoom=" + defaultRoom + ", tokenTtl=" + tokenTtl + ", chatRequired=" + chatRequired
                + ", loginRate=" + loginRate + ", trustProxy=" + trustProxy + ", upstreamTimeout=" + upstreamTimeout
                + ", loginDeadline=" + loginDeadline + ", localSecret=" + (localSecret.isPresent() ? "<redacted>" : "random")
                + ", host=" + host + ", port=" + port + ", https=" + https.map(HttpsListener::toString).orElse("none")
                + ", maxUploadBytes=" + maxUploadBytes + ", allowedOrigins=" + new java.util.TreeSet<>(allowedOrigins)
                + ", bodyDeadline=" + bodyDeadline + "]";
    }

    private static Optional<HttpsListener> https(Vars v, int httpPort) {
        Optional<String> portValue = v.get("CALLCHAT_TLS_PORT");
        Optional<Path> keystore = v.get("CALLCHAT_TLS_KEYSTORE").map(Path::of);
        Optional<String> password = v.get("CALLCHAT_TLS_KEYSTORE_PASSWORD");
        Optional<Path> cert = v.get("CALLCHAT_TLS_CERT").map(Path::of);
        Optional<Path> key = v.get("CALLCHAT_TLS_KEY").map(Path::of);
        if (keystore.isEmpty() && password.isEmpty() && cert.isEmpty() && key.isEmpty()) {
            if (portValue.isPresent()) {
                throw new ConfigException("CALLCHAT_TLS_PORT", "is set but no key is: also set CALLCHAT_TLS_KEYSTORE and "
                        + "CALLCHAT_TLS_KEYSTORE_PASSWORD, or CALLCHAT_TLS_CERT and CALLCHAT_TLS_KEY");
            }
            return Optional.empty();
        }
        if ((keystore.isPresent() || password.isPresent()) && (cert.isPresent() || key.isPresent())) {
            throw new ConfigException(keystore.isPresent() ? "CALLCHAT_TLS_KEYSTORE" : "CALLCHAT_TLS_KEYSTORE_PASSWORD",
                    "cannot be combined with CALLCHAT_TLS_CERT/CALLCHAT_TLS_KEY: choose a PKCS12 keystore or PEM files");
        }
        if (password.isPresent() && keystore.isEmpty()) {
            throw new ConfigException("CALLCHAT_TLS_KEYSTORE", "is missing: CALLCHAT_TLS_KEYSTORE_PASSWORD is set without a keystore");
        }
        if (keystore.isPresent() && password.isEmpty()) {
            throw new ConfigException("CALLCHAT_TLS_KEYSTORE_PASSWORD", "is missing: set the password of CALLCHAT_TLS_KEYSTORE");
        }
        if (cert.isPresent() && key.isEmpty()) {
            throw new ConfigException("CALLCHAT_TLS_KEY", "is missing: set it to the PEM private key of CALLCHAT_TLS_CERT");
        }
        if (key.isPresent() && cert.isEmpty()) {
            throw new ConfigException("CALLCHAT_TLS_CERT", "is missing: set it to the PEM certificate of CALLCHAT_TLS_KEY");
        }
        int port = portValue.map(s -> integer("CALLCHAT_TLS_PORT", s, 0, 65535)).orElse(8443);
        if (port != 0 && port == httpPort) {
            throw new ConfigException("CALLCHAT_TLS_PORT", "must differ from PORT (both are " + port + ")");
        }
        HttpsListener listener = new HttpsListener(port, keystore, password, cert, key);
        listener.sslContext(); // load the files now: a wrong one fails at start-up, naming its variable
        return Optional.of(listener);
    }

    private static Optional<TwilioCredentials> twilio(Vars v) {
        Optional<String> account = v.get("TWILIO_ACCOUNT_SID");
        Optional<String> keySid = v.get("TWILIO_API_KEY_SID");
        Optional<String> secret = v.get("TWILIO_API_KEY_SECRET");
        if (account.isEmpty() && keySid.isEmpty() && secret.isEmpty()) {
            return Optional.empty();
        }
        String partial = "is missing: set TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET together,"
                + " or none of them for the local provider";
        if (account.isEmpty()) {
            throw new ConfigException("TWILIO_ACCOUNT_SID", partial);
        }
        if (keySid.isEmpty()) {
            throw new ConfigException("TWILIO_API_KEY_SID", partial);
        }
        if (secret.isEmpty()) {
            throw new ConfigException("TWILIO_API_KEY_SECRET", partial);
        }
        return Optional.of(new TwilioCredentials(
                matching("TWILIO_ACCOUNT_SID", account.get(), ACCOUNT_SID, "AC"),
                matching("TWILIO_API_KEY_SID", keySid.get(), API_KEY_SID, "SK"),
                secret.get()));
    }

    private static String matching(String name, String value, Pattern pattern, String prefix) {
        if (!pattern.matcher(value).matches()) {
            throw new ConfigException(name, "must be '" + prefix + "' followed by 32 lowercase hex digits (got "
                    + value.length() + " characters" + (value.startsWith(prefix) ? "" : " not starting with " + prefix)
                    + ")");
        }
        return value;
    }

    private static URI baseUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException("TWILIO_API_BASE_URL", "must be an absolute http(s) URL such as http://127.0.0.1:8089");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException("TWILIO_API_BASE_URL", "is not a valid URL");
        }
    }

    private static Duration duration(String name, String value, Duration min, Duration max) {
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(name, "must be a number of seconds or a number with a unit ms/s/m/h, such as 3600 or 1h (got '"
                    + value + "')");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(name, "must be between " + human(min) + " and " + human(max) + " (got '" + value + "')");
        }
        return d;
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static boolean bool(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(name, "must be true or false (got '" + value + "')");
        };
    }

    private static int integer(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new ConfigException(name, "must be between " + min + " and " + max + " (got " + n + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a whole number (got '" + value + "')");
        }
    }

    /** Bytes, or a number with a binary unit: {@code 10MB} = {@code 10MiB} = 10 × 1024 × 1024 bytes. */
    private static long size(String value) {
        String name = "CALLCHAT_MAX_UPLOAD";
        Matcher m = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(name, "must be a number of bytes or a number with a unit KB/MB, such as 10MB (got '"
                    + value + "')");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long multiplier = unit.startsWith("m") ? 1024L * 1024 : unit.startsWith("k") ? 1024L : 1L;
        if (n > MAX_MAX_UPLOAD / multiplier || n * multiplier < MIN_MAX_UPLOAD) {
            throw new ConfigException(name, "must be between 1KB and 100MB (got '" + value + "')");
        }
        return n * multiplier;
    }

    /**
     * {@code CALLCHAT_ALLOWED_ORIGINS}: comma-separated origins as a browser sends them in {@code Origin}
     * ({@code https://chat.example.com}, {@code http://localhost:3000}); stored in that serialisation.
     */
    private static java.util.Set<String> origins(String value) {
        java.util.Set<String> origins = new java.util.LinkedHashSet<>();
        for (String item : value.split(",")) {
            String candidate = item.strip();
            if (candidate.isEmpty()) {
                continue;
            }
            String origin = Origins.serialize(candidate).orElseThrow(() -> new ConfigException("CALLCHAT_ALLOWED_ORIGINS",
                    "each entry must be an origin such as https://chat.example.com or http://localhost:3000, "
                            + "without path (got '" + candidate + "')"));
            origins.add(origin);
        }
        return origins;
    }

    private static LoginRate rate(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("0")) {
            return LoginRate.UNLIMITED;
        }
        Matcher m = RATE.matcher(v);
        if (!m.matches()) {
            throw new ConfigException("CALLCHAT_LOGIN_RATE", "must look like 30/min, 5/s or 600/h, or be off (got '" + value + "')");
        }
        int n = integer("CALLCHAT_LOGIN_RATE", m.group(1), 1, 1_000_000);
        Duration period = switch (m.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(1);
            case 'h' -> Duration.ofHours(1);
            default -> Duration.ofMinutes(1);
        };
        return new LoginRate(n, period);
    }

    /** Variable lookup where blank counts as unset, and values are trimmed. */
    private record Vars(Map<String, String> map) {
        Optional<String> get(String name) {
            String value = map.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        }
    }
}

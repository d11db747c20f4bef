package dev.callchat.core.config;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads callchat's variables (the process environment over a {@code .env} file, or a map) into a
 * {@link Config.Builder} for the library and a {@link ServerConfig.Builder} for a standalone server.
 * Every variable callchat reads is a constant here, and {@code .env.template} lists them with their
 * defaults. A {@code CALLCHAT_*} name that is none of them is refused when it comes from a map or
 * from {@code .env} (most likely a typo, such as {@code CALLCHAT_ROM}); in the process environment,
 * which other tools share, it is only reported by {@link #unknownVariables()}.
 */
public final class EnvironmentConfig {
    /** Twilio account SID ({@code AC…}). */
    public static final String TWILIO_ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
    /** Twilio API key SID ({@code SK…}). */
    public static final String TWILIO_API_KEY_SID = "TWILIO_API_KEY_SID";
    /** Twilio API key secret. */
    public static final String TWILIO_API_KEY_SECRET = "TWILIO_API_KEY_SECRET";
    /** Conversations service SID ({@code IS…}). */
    public static final String TWILIO_CONVERSATIONS_SERVICE_SID = "TWILIO_CONVERSATIONS_SERVICE_SID";
    /** Base URL for Twilio REST traffic. */
    public static final String TWILIO_API_BASE_URL = "TWILIO_API_BASE_URL";
    /** {@link Config#twilioAuthToken()}: the account's Auth Token, which signs Twilio's webhooks. */
    public static final String TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
    /** {@link Config#publicUrl()}. */
    public static final String PUBLIC_URL = "CALLCHAT_PUBLIC_URL";
    /** {@link Config#defaultRoom()}. */
    public static final String ROOM = "CALLCHAT_ROOM";
    /** {@link Config#tokenTtl()}. */
    public static final String TOKEN_TTL = "CALLCHAT_TOKEN_TTL";
    /** {@link Config#chatRequired()}. */
    public static final String CHAT_REQUIRED = "CALLCHAT_CHAT_REQUIRED";
    /** {@link Config#loginRate()}. */
    public static final String LOGIN_RATE = "CALLCHAT_LOGIN_RATE";
    /** {@link Config#trustProxy()}. */
    public static final String TRUST_PROXY = "CALLCHAT_TRUST_PROXY";
    /** {@link Config#upstreamTimeout()}. */
    public static final String UPSTREAM_TIMEOUT = "CALLCHAT_UPSTREAM_TIMEOUT";
    /** {@link Config#loginDeadline()}. */
    public static final String LOGIN_DEADLINE = "CALLCHAT_LOGIN_DEADLINE";
    /** {@link Config#localSecret()}. */
    public static final String LOCAL_SECRET = "CALLCHAT_LOCAL_SECRET";
    /** {@link Config#chatRetention()}. */
    public static final String CHAT_RETENTION = "CALLCHAT_CHAT_RETENTION";
    /** {@link Config#maxUploadBytes()}. */
    public static final String MAX_UPLOAD = "CALLCHAT_MAX_UPLOAD";
    /** {@link Config#conversationActionsPerSecond()}. */
    public static final String TWILIO_ACTIONS_PER_SECOND = "CALLCHAT_TWILIO_ACTIONS_PER_SECOND";
    /** {@link Config#memberUploadQuotaBytes()}. */
    public static final String MEMBER_UPLOAD_QUOTA = "CALLCHAT_MEMBER_UPLOAD_QUOTA";
    /** STUN/TURN URLs of {@link Config#iceServers()}, separated by commas. */
    public static final String ICE_SERVERS = "CALLCHAT_ICE_SERVERS";
    /** The TURN server's shared secret that {@link Config#iceServers()} derives per-session credentials from. */
    public static final String TURN_SECRET = "CALLCHAT_TURN_SECRET";
    /** {@link Config#allowedOrigins()}: a comma-separated list. */
    public static final String ALLOWED_ORIGINS = "CALLCHAT_ALLOWED_ORIGINS";
    /** {@link Config#bodyDeadline()}. */
    public static final String BODY_DEADLINE = "CALLCHAT_BODY_DEADLINE";
    /** {@link ServerConfig#host()}. */
    public static final String HOST = "HOST";
    /** {@link ServerConfig#port()}. */
    public static final String PORT = "PORT";
    /** The HTTPS listener's port. */
    public static final String TLS_PORT = "CALLCHAT_TLS_PORT";
    /** A PKCS12 keystore for HTTPS. */
    public static final String TLS_KEYSTORE = "CALLCHAT_TLS_KEYSTORE";
    /** The keystore's password. */
    public static final String TLS_KEYSTORE_PASSWORD = "CALLCHAT_TLS_KEYSTORE_PASSWORD";
    /** A PEM certificate chain for HTTPS. */
    public static final String TLS_CERT = "CALLCHAT_TLS_CERT";
    /** The PEM private key of {@link #TLS_CERT}. */
    public static final String TLS_KEY = "CALLCHAT_TLS_KEY";
    /** {@link MetricsConfig#enabled()}. */
    public static final String METRICS = "CALLCHAT_METRICS";
    /** {@link MetricsConfig#port()}. */
    public static final String METRICS_PORT = "CALLCHAT_METRICS_PORT";

    /** Every {@code CALLCHAT_*} variable callchat reads; add new ones here. */
    private static final Set<String> KNOWN = Set.of(ROOM, TOKEN_TTL, CHAT_REQUIRED, LOGIN_RATE, TRUST_PROXY,
            UPSTREAM_TIMEOUT, LOGIN_DEADLINE, LOCAL_SECRET, MAX_UPLOAD, CHAT_RETENTION, TWILIO_ACTIONS_PER_SECOND,
            MEMBER_UPLOAD_QUOTA, ICE_SERVERS, TURN_SECRET, ALLOWED_ORIGINS, BODY_DEADLINE,
            TLS_PORT, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, TLS_CERT, TLS_KEY, METRICS, METRICS_PORT, PUBLIC_URL);
    private static final Set<String> TWILIO = Set.of(TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET,
            TWILIO_CONVERSATIONS_SERVICE_SID, TWILIO_API_BASE_URL, TWILIO_AUTH_TOKEN);
    private static final String PREFIX = "CALLCHAT_";
    /**
     * The property below {@code callchat.} naming the path prefix an adapter serves callchat under
     * ({@code callchat.path}, such as {@code /video}): read by the adapter, and ignored by
     * {@link #withProperties(Map)}, since it is not a setting of the service.
     */
    public static final String MOUNT_PROPERTY = "path";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib)?");
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*/\\s*(s|sec|second|m|min|minute|h|hour)");

    private final Map<String, String> variables;
    private final Set<String> unknown;

    private EnvironmentConfig(Map<String, String> variables, Set<String> unknown) {
        this.variables = Map.copyOf(variables);
        this.unknown = Set.copyOf(unknown);
    }

    /**
     * @param variables variable name to value, for instance from a test or an application's own settings
     * @return the variables, checked for unknown {@code CALLCHAT_*} names
     * @throws ConfigException naming the first unknown {@code CALLCHAT_*} variable
     */
    public static EnvironmentConfig of(Map<String, String> variables) {
        refuseUnknown(variables.keySet());
        return new EnvironmentConfig(variables, Set.of());
    }

    /** @return the process environment over a {@code .env} file in the working directory, if present */
    public static EnvironmentConfig load() {
        return load(Path.of(""), System.getenv());
    }

    /**
     * @param dotenvDirectory where to look for a {@code .env} file (missing is fine)
     * @param environment     variables that override the file's (normally {@link System#getenv()})
     * @return the merged variables
     * @throws ConfigException when the file is malformed or names an unknown {@code CALLCHAT_*} variable
     */
    public static EnvironmentConfig load(Path dotenvDirectory, Map<String, String> environment) {
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
        refuseUnknown(merged.keySet());
        merged.putAll(environment);
        Set<String> unknown = new TreeSet<>();
        environment.keySet().stream().filter(EnvironmentConfig::isUnknown).forEach(unknown::add);
        return new EnvironmentConfig(merged, unknown);
    }

    /**
     * These variables with an application's own settings on top, named as properties below a
     * {@code callchat.} prefix (the prefix already removed): {@code room} is {@code CALLCHAT_ROOM},
     * {@code login-rate} is {@code CALLCHAT_LOGIN_RATE}, {@code twilio.account-sid} is
     * {@code TWILIO_ACCOUNT_SID}. {@value #MOUNT_PROPERTY}, the adapter's mount, is ignored.
     *
     * @param properties property name (below the prefix) to value
     * @return the combined variables
     * @throws ConfigException naming the first property that maps to no callchat variable
     */
    public EnvironmentConfig withProperties(Map<String, ?> properties) {
        Map<String, String> mapped = new HashMap<>();
        properties.forEach((name, value) -> {
            if (name.equals(MOUNT_PROPERTY)) {
                return; // the mount, which the adapter reads: not a setting of the service
            }
            String variable = name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
            variable = variable.startsWith("TWILIO_") ? variable : PREFIX + variable;
            if (isUnknown(variable) || (variable.startsWith("TWILIO_") && !TWILIO.contains(variable))) {
                throw new ConfigException("callchat." + name, "is not a callchat setting (a typo?); the settings are "
                        + "the variables of .env.template, e.g. callchat.login-rate for CALLCHAT_LOGIN_RATE");
            }
            mapped.put(variable, value == null ? "" : value.toString());
        });
        Map<String, String> merged = new HashMap<>(variables);
        merged.putAll(mapped);
        return new EnvironmentConfig(merged, unknown);
    }

    /** @return {@code CALLCHAT_*} variables of the process environment that callchat does not read (typos?) */
    public Set<String> unknownVariables() {
        return unknown;
    }

    /**
     * @return a builder holding the library settings these variables give, every other one at its default
     * @throws ConfigException naming the first variable that cannot be parsed
     */
    public Config.Builder library() {
        Config.Builder b = Config.builder();
        twilio().ifPresent(b::twilio);
        get(TWILIO_CONVERSATIONS_SERVICE_SID).ifPresent(b::conversationsServiceSid);
        get(TWILIO_API_BASE_URL).map(EnvironmentConfig::baseUrl).ifPresent(b::apiBaseUrl);
        get(TWILIO_AUTH_TOKEN).ifPresent(b::twilioAuthToken);
        get(PUBLIC_URL).map(s -> url(PUBLIC_URL, s)).ifPresent(b::publicUrl);
        get(ROOM).ifPresent(b::defaultRoom);
        get(TOKEN_TTL).map(s -> duration(TOKEN_TTL, s, Duration.ofSeconds(1), Config.MAX_TOKEN_TTL)).ifPresent(b::tokenTtl);
        get(CHAT_REQUIRED).map(s -> bool(CHAT_REQUIRED, s)).ifPresent(b::chatRequired);
        get(LOGIN_RATE).map(EnvironmentConfig::rate).ifPresent(b::loginRate);
        get(TRUST_PROXY).map(s -> bool(TRUST_PROXY, s)).ifPresent(b::trustProxy);
        get(UPSTREAM_TIMEOUT).map(s -> duration(UPSTREAM_TIMEOUT, s, Config.MIN_UPSTREAM_TIMEOUT,
                Config.MAX_UPSTREAM_TIMEOUT)).ifPresent(b::upstreamTimeout);
        get(LOGIN_DEADLINE).map(s -> duration(LOGIN_DEADLINE, s, Config.MIN_LOGIN_DEADLINE,
                Config.MAX_LOGIN_DEADLINE)).ifPresent(b::loginDeadline);
        get(LOCAL_SECRET).ifPresent(b::localSecret);
        get(MAX_UPLOAD).map(s -> size(MAX_UPLOAD, s, Config.MIN_MAX_UPLOAD, Config.MAX_MAX_UPLOAD)).ifPresent(b::maxUploadBytes);
        get(CHAT_RETENTION).map(s -> duration(CHAT_RETENTION, s, Config.MIN_CHAT_RETENTION, Config.MAX_CHAT_RETENTION))
                .ifPresent(b::chatRetention);
        // Twilio raises the limit for an account on request; then raise this to match.
        get(TWILIO_ACTIONS_PER_SECOND).map(s -> integer(TWILIO_ACTIONS_PER_SECOND, s, 1, 1_000_000))
                .ifPresent(b::conversationActionsPerSecond);
        get(MEMBER_UPLOAD_QUOTA).map(s -> size(MEMBER_UPLOAD_QUOTA, s, 1, Long.MAX_VALUE / (1024 * 1024)))
                .ifPresent(b::memberUploadQuotaBytes);
        b.iceServers(IceServers.of(get(ICE_SERVERS), get(TURN_SECRET)));
        get(ALLOWED_ORIGINS).map(EnvironmentConfig::origins).ifPresent(b::allowedOrigins);
        get(BODY_DEADLINE).map(s -> duration(BODY_DEADLINE, s, Config.MIN_BODY_DEADLINE, Config.MAX_BODY_DEADLINE))
                .ifPresent(b::bodyDeadline);
        return b;
    }

    /**
     * @return a builder holding the server settings these variables give ({@code HOST}, {@code PORT},
     *         {@code CALLCHAT_TLS_*}, {@code CALLCHAT_METRICS*}), every other one at its default
     * @throws ConfigException naming the first variable that cannot be parsed or is inconsistent
     */
    public ServerConfig.Builder server() {
        int port = get(PORT).map(s -> integer(PORT, s, 0, 65535)).orElse(ServerConfig.DEFAULT_PORT);
        ServerConfig.Builder b = ServerConfig.builder().port(port);
        get(HOST).ifPresent(b::host);
        https(port).ifPresent(b::https);
        b.metrics(metrics());
        return b;
    }

    private MetricsConfig metrics() {
        boolean enabled = get(METRICS).map(s -> bool(METRICS, s)).orElse(true);
        OptionalInt port = get(METRICS_PORT).map(s -> OptionalInt.of(integer(METRICS_PORT, s, 0, 65535)))
                .orElse(OptionalInt.empty());
        return new MetricsConfig(enabled, port);
    }

    private Optional<HttpsListener> https(int httpPort) {
        Optional<String> portValue = get(TLS_PORT);
        Optional<Path> keystore = get(TLS_KEYSTORE).map(Path::of);
        Optional<Secret> password = get(TLS_KEYSTORE_PASSWORD).map(Secret::of);
        Optional<Path> cert = get(TLS_CERT).map(Path::of);
        Optional<Path> key = get(TLS_KEY).map(Path::of);
        if (keystore.isEmpty() && password.isEmpty() && cert.isEmpty() && key.isEmpty()) {
            if (portValue.isPresent()) {
                throw new ConfigException(TLS_PORT, "is set but no key is: also set CALLCHAT_TLS_KEYSTORE and "
                        + "CALLCHAT_TLS_KEYSTORE_PASSWORD, or CALLCHAT_TLS_CERT and CALLCHAT_TLS_KEY");
            }
            return Optional.empty();
        }
        if ((keystore.isPresent() || password.isPresent()) && (cert.isPresent() || key.isPresent())) {
            throw new ConfigException(keystore.isPresent() ? TLS_KEYSTORE : TLS_KEYSTORE_PASSWORD,
                    "cannot be combined with CALLCHAT_TLS_CERT/CALLCHAT_TLS_KEY: choose a PKCS12 keystore or PEM files");
        }
        if (password.isPresent() && keystore.isEmpty()) {
            throw new ConfigException(TLS_KEYSTORE, "is missing: CALLCHAT_TLS_KEYSTORE_PASSWORD is set without a keystore");
        }
        if (keystore.isPresent() && password.isEmpty()) {
            throw new ConfigException(TLS_KEYSTORE_PASSWORD, "is missing: set the password of CALLCHAT_TLS_KEYSTORE");
        }
        if (cert.isPresent() && key.isEmpty()) {
            throw new ConfigException(TLS_KEY, "is missing: set it to the PEM private key of CALLCHAT_TLS_CERT");
        }
        if (key.isPresent() && cert.isEmpty()) {
            throw new ConfigException(TLS_CERT, "is missing: set it to the PEM certificate of CALLCHAT_TLS_KEY");
        }
        int port = portValue.map(s -> integer(TLS_PORT, s, 0, 65535)).orElse(ServerConfig.DEFAULT_HTTPS_PORT);
        if (port != 0 && port == httpPort) {
            throw new ConfigException(TLS_PORT, "must differ from PORT (both are " + port + ")");
        }
        return Optional.of(new HttpsListener(port, keystore, password, cert, key));
    }

    private Optional<TwilioCredentials> twilio() {
        Optional<String> account = get(TWILIO_ACCOUNT_SID);
        Optional<String> keySid = get(TWILIO_API_KEY_SID);
        Optional<String> secret = get(TWILIO_API_KEY_SECRET);
        if (account.isEmpty() && keySid.isEmpty() && secret.isEmpty()) {
            return Optional.empty();
        }
        String partial = "is missing: set TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET together,"
                + " or none of them for the local provider";
        if (account.isEmpty()) {
            throw new ConfigException(TWILIO_ACCOUNT_SID, partial);
        }
        if (keySid.isEmpty()) {
            throw new ConfigException(TWILIO_API_KEY_SID, partial);
        }
        if (secret.isEmpty()) {
            throw new ConfigException(TWILIO_API_KEY_SECRET, partial);
        }
        return Optional.of(TwilioCredentials.of(account.get(), keySid.get(), secret.get()));
    }

    /** Blank counts as unset; values are trimmed. */
    private Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static boolean isUnknown(String name) {
        return name.startsWith(PREFIX) && !KNOWN.contains(name);
    }

    private static void refuseUnknown(Set<String> names) {
        names.stream().filter(EnvironmentConfig::isUnknown).sorted().findFirst().ifPresent(name -> {
            throw new ConfigException(name, "is not a callchat variable (a typo?); the variables are listed in "
                    + ".env.template");
        });
    }

    private static URI url(String name, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(name, "is not a valid URL");
        }
    }

    private static URI baseUrl(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(TWILIO_API_BASE_URL, "is not a valid URL");
        }
    }

    private static Duration duration(String name, String value, Duration min, Duration max) {
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(name, "must be a number of seconds or a number with a unit ms/s/m/h/d, such as 3600 or 1h (got '"
                    + value + "')");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(name, "must be between " + human(min) + " and " + human(max) + " (got '" + value + "')");
        }
        return d;
    }

    static String human(Duration d) {
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
    private static long size(String name, String value, long min, long max) {
        Matcher m = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(name, "must be a number of bytes or a number with a unit KB/MB, such as 10MB (got '"
                    + value + "')");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long multiplier = unit.startsWith("m") ? 1024L * 1024 : unit.startsWith("k") ? 1024L : 1L;
        if (n > max / multiplier || n * multiplier < min) {
            throw new ConfigException(name, "must be between 1KB and 100MB (got '" + value + "')");
        }
        return n * multiplier;
    }

    /** Splits a comma-separated list; the builder checks and normalises each entry. */
    private static Set<String> origins(String value) {
        Set<String> origins = new java.util.LinkedHashSet<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                origins.add(item.strip());
            }
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
            throw new ConfigException(LOGIN_RATE, "must look like 30/min, 5/s or 600/h, or be off (got '" + value + "')");
        }
        int n = integer(LOGIN_RATE, m.group(1), 1, 1_000_000);
        Duration period = switch (m.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(1);
            case 'h' -> Duration.ofHours(1);
            default -> Duration.ofMinutes(1);
        };
        return new LoginRate(n, period);
    }
}

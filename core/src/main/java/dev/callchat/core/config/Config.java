package dev.callchat.core.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the callchat library needs to know: the provider's credentials, the default room, token
 * lifetime, limits. Server settings (address, port, HTTPS) are not here but in {@link ServerConfig},
 * so an application that embeds callchat is never asked for them. Build one in code with
 * {@link #builder()}, or from variables with {@link #fromEnvironment()} and {@link #from(Map)} (see
 * {@link EnvironmentConfig}); either way {@link Builder#validate()} checks every value, and a failure
 * is a one-line {@link ConfigException} naming the variable. Every limit and its default is described
 * in {@code docs/architecture.md}.
 */
public final class Config {
    /** Default of {@link #defaultRoom()}. */
    public static final String DEFAULT_ROOM = "My Room";
    /**
     * Longest room name, in code points: of {@link #defaultRoom()} and, through the standard identity
     * policy, of the room a login names. The one place this limit is set.
     */
    public static final int MAX_ROOM_LENGTH = 128;
    /** Default of {@link #tokenTtl()}: one hour. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
    /** Shortest {@link #tokenTtl()}: a minute (the page refreshes its token before expiry). */
    public static final Duration MIN_TOKEN_TTL = Duration.ofSeconds(60);
    /** Twilio's maximum access-token lifetime. */
    public static final Duration MAX_TOKEN_TTL = Duration.ofHours(24);
    /** Default of {@link #upstreamTimeout()}. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(5);
    /** Shortest {@link #upstreamTimeout()}. */
    public static final Duration MIN_UPSTREAM_TIMEOUT = Duration.ofMillis(50);
    /** Longest {@link #upstreamTimeout()}. */
    public static final Duration MAX_UPSTREAM_TIMEOUT = Duration.ofMinutes(1);
    /** Default of {@link #loginDeadline()}. */
    public static final Duration DEFAULT_LOGIN_DEADLINE = Duration.ofSeconds(10);
    /** Shortest {@link #loginDeadline()}. */
    public static final Duration MIN_LOGIN_DEADLINE = Duration.ofMillis(100);
    /** Longest {@link #loginDeadline()}. */
    public static final Duration MAX_LOGIN_DEADLINE = Duration.ofMinutes(2);
    /** Shortest {@link #localSecret()}, in UTF-8 bytes (an HS256 key). */
    public static final int MIN_LOCAL_SECRET_BYTES = 32;
    /** Default of {@link #chatRetention()}: a working week of chat history (docs/twilio-limits.md). */
    public static final Duration DEFAULT_CHAT_RETENTION = Duration.ofDays(7);
    /** Shortest accepted {@link #chatRetention()}: Twilio's minimum {@code timers.closed}. */
    public static final Duration MIN_CHAT_RETENTION = Duration.ofMinutes(10);
    /** Longest accepted {@link #chatRetention()}: one year. */
    public static final Duration MAX_CHAT_RETENTION = Duration.ofDays(365);
    /** Default of {@link #memberUploadQuotaBytes()}, in files of {@link #maxUploadBytes()}: one room's worth. */
    public static final int DEFAULT_MEMBER_UPLOAD_FILES = 5;
    /** Most {@link #memberUploadQuotaBytes()} may be, in files of {@link #maxUploadBytes()}: the local hub's whole cap. */
    public static final int MAX_MEMBER_UPLOAD_FILES = 20;
    /** Default of {@link #maxUploadBytes()}: 10 MB. */
    public static final long DEFAULT_MAX_UPLOAD = 10L * 1024 * 1024;
    /** Smallest accepted {@link #maxUploadBytes()}: 1 KiB. */
    public static final long MIN_MAX_UPLOAD = 1024;
    /** Largest accepted {@link #maxUploadBytes()}: 100 MB (the local provider keeps files in memory). */
    public static final long MAX_MAX_UPLOAD = 100L * 1024 * 1024;
    /**
     * Default of {@link #conversationActionsPerSecond()}: Twilio's documented 30 actions per second per
     * conversation (participant create/update/delete, message create, conversation update).
     */
    public static final int DEFAULT_CONVERSATION_ACTIONS_PER_SECOND = 30;
    /** Default of {@link #bodyDeadline()}: 10 s, enough for a login body on any working connection. */
    public static final Duration DEFAULT_BODY_DEADLINE = Duration.ofSeconds(10);
    /** Shortest {@link #bodyDeadline()}. */
    public static final Duration MIN_BODY_DEADLINE = Duration.ofMillis(100);
    /** Longest {@link #bodyDeadline()}. */
    public static final Duration MAX_BODY_DEADLINE = Duration.ofMinutes(5);

    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-f]{32}");
    private static final Pattern API_KEY_SID = Pattern.compile("SK[0-9a-f]{32}");
    private static final Pattern SERVICE_SID = Pattern.compile("IS[0-9a-f]{32}");

    private final Optional<TwilioCredentials> twilio;
    private final Optional<String> conversationsServiceSid;
    private final Optional<URI> apiBaseUrl;
    private final String defaultRoom;
    private final Duration tokenTtl;
    private final boolean chatRequired;
    private final LoginRate loginRate;
    private final boolean trustProxy;
    private final Duration upstreamTimeout;
    private final Duration loginDeadline;
    private final Optional<Secret> localSecret;
    private final long maxUploadBytes;
    private final Duration chatRetention;
    private final int conversationActionsPerSecond;
    private final long memberUploadQuotaBytes;
    private final IceServers iceServers;
    private final Set<String> allowedOrigins;
    private final Duration bodyDeadline;

    private Config(Builder b) {
        this.twilio = Optional.ofNullable(b.twilio);
        this.conversationsServiceSid = Optional.ofNullable(b.conversationsServiceSid);
        this.apiBaseUrl = Optional.ofNullable(b.apiBaseUrl);
        this.defaultRoom = b.defaultRoom.strip();
        this.tokenTtl = b.tokenTtl;
        this.chatRequired = b.chatRequired;
        this.loginRate = b.loginRate;
        this.trustProxy = b.trustProxy;
        this.upstreamTimeout = b.upstreamTimeout;
        this.loginDeadline = b.loginDeadline;
        this.localSecret = Optional.ofNullable(b.localSecret).map(Secret::of);
        this.maxUploadBytes = b.maxUploadBytes;
        this.chatRetention = b.chatRetention;
        this.conversationActionsPerSecond = b.conversationActionsPerSecond;
        this.memberUploadQuotaBytes = b.memberUploadQuota();
        this.iceServers = b.iceServers;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.bodyDeadline = b.bodyDeadline;
    }

    /** @return a builder holding every default: the local provider, room {@value #DEFAULT_ROOM}, 1 h tokens */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values, to change some of them */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.twilio = twilio.orElse(null);
        b.conversationsServiceSid = conversationsServiceSid.orElse(null);
        b.apiBaseUrl = apiBaseUrl.orElse(null);
        b.defaultRoom = defaultRoom;
        b.tokenTtl = tokenTtl;
        b.chatRequired = chatRequired;
        b.loginRate = loginRate;
        b.trustProxy = trustProxy;
        b.upstreamTimeout = upstreamTimeout;
        b.loginDeadline = loginDeadline;
        b.localSecret = localSecret.map(Secret::reveal).orElse(null);
        b.maxUploadBytes = maxUploadBytes;
        b.chatRetention = chatRetention;
        b.conversationActionsPerSecond = conversationActionsPerSecond;
        b.memberUploadQuotaBytes = memberUploadQuotaBytes;
        b.iceServers = iceServers;
        b.allowedOrigins = new LinkedHashSet<>(allowedOrigins);
        b.bodyDeadline = bodyDeadline;
        return b;
    }

    /** @return the configuration with every default: the local provider */
    public static Config defaults() {
        return builder().build();
    }

    /**
     * Reads the process environment, over a {@code .env} file in the working directory if present.
     * Server settings ({@code HOST}, {@code PORT}, {@code CALLCHAT_TLS_*}) are not read: see {@link ServerConfig}.
     *
     * @return the validated configuration
     * @throws ConfigException naming the first invalid variable
     */
    public static Config fromEnvironment() {
        return EnvironmentConfig.load().library().build();
    }

    /**
     * @param dotenvDirectory where to look for a {@code .env} file (missing is fine)
     * @param environment     variables that override the file's (normally {@link System#getenv()})
     * @return the validated configuration
     * @throws ConfigException naming the first invalid variable
     */
    public static Config fromEnvironment(Path dotenvDirectory, Map<String, String> environment) {
        return EnvironmentConfig.load(dotenvDirectory, environment).library().build();
    }

    /**
     * @param variables variable name to value; absent or blank means "use the default". A
     *                  {@code CALLCHAT_*} name callchat does not know is refused (a typo would
     *                  otherwise be silently ignored); other names are ignored.
     * @return the validated configuration
     * @throws ConfigException naming the first invalid or unknown variable
     */
    public static Config from(Map<String, String> variables) {
        return EnvironmentConfig.of(variables).library().build();
    }

    /** @return Twilio credentials; empty selects the embedded local provider ({@code TWILIO_*}) */
    public Optional<TwilioCredentials> twilio() {
        return twilio;
    }

    /** @return the Conversations service to use ({@code IS…}); empty uses the account's default */
    public Optional<String> conversationsServiceSid() {
        return conversationsServiceSid;
    }

    /** @return where Twilio REST traffic goes instead of {@code https://*.twilio.com} (tests, proxies) */
    public Optional<URI> apiBaseUrl() {
        return apiBaseUrl;
    }

    /** @return the room a login joins when it names none ({@code CALLCHAT_ROOM}) */
    public String defaultRoom() {
        return defaultRoom;
    }

    /** @return access-token lifetime ({@code CALLCHAT_TOKEN_TTL}) */
    public Duration tokenTtl() {
        return tokenTtl;
    }

    /** @return whether a login fails (503) instead of degrading to video-only when chat is down */
    public boolean chatRequired() {
        return chatRequired;
    }

    /** @return the login rate limit ({@code CALLCHAT_LOGIN_RATE}) */
    public LoginRate loginRate() {
        return loginRate;
    }

    /** @return whether to believe {@code X-Forwarded-For} for the client address */
    public boolean trustProxy() {
        return trustProxy;
    }

    /** @return connect/read timeout of one Twilio call */
    public Duration upstreamTimeout() {
        return upstreamTimeout;
    }

    /** @return overall budget for the upstream part of one login, retries included */
    public Duration loginDeadline() {
        return loginDeadline;
    }

    /** @return HMAC secret of the local provider's tokens (a {@link Secret}: never printed); empty means random per process */
    public Optional<Secret> localSecret() {
        return localSecret;
    }

    /** @return largest file a chat member may share ({@code CALLCHAT_MAX_UPLOAD}) */
    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * @return how long a room's Twilio conversation lives before Twilio closes it ({@code CALLCHAT_CHAT_RETENTION};
     * see docs/twilio-limits.md)
     */
    public Duration chatRetention() {
        return chatRetention;
    }

    /**
     * @return Twilio's per-conversation actions-per-second limit that the Twilio provider paces participant
     * adds to ({@code CALLCHAT_TWILIO_ACTIONS_PER_SECOND}, default 30; see docs/twilio-limits.md)
     */
    public int conversationActionsPerSecond() {
        return conversationActionsPerSecond;
    }

    /**
     * @return most bytes of shared files one member keeps across all its rooms at once
     *         ({@code CALLCHAT_MEMBER_UPLOAD_QUOTA}, default {@value #DEFAULT_MEMBER_UPLOAD_FILES} × the largest file)
     */
    public long memberUploadQuotaBytes() {
        return memberUploadQuotaBytes;
    }

    /**
     * @return STUN/TURN servers for the local provider's peer-to-peer calls ({@code CALLCHAT_ICE_SERVERS},
     *         {@code CALLCHAT_TURN_SECRET}; default none); unused by Twilio, which brings its own relays
     */
    public IceServers iceServers() {
        return iceServers;
    }

    /**
     * @return origins, besides the server's own, whose pages may open {@code /local/ws} and post a login as
     *         {@code text/plain} ({@code CALLCHAT_ALLOWED_ORIGINS}: the public origin behind a reverse proxy),
     *         each as {@code scheme://host[:port]}, lower case, no default port
     */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * @return how long a client may take to send a request body once its headers are in
     *         ({@code CALLCHAT_BODY_DEADLINE}, default 10 s; uploads get this plus time for their size)
     */
    public Duration bodyDeadline() {
        return bodyDeadline;
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
                + ", loginDeadline=" + loginDeadline + ", localSecret=" + localSecret.map(Secret::toString).orElse("random")
                + ", maxUploadBytes=" + maxUploadBytes + ", memberUploadQuotaBytes=" + memberUploadQuotaBytes
                + ", chatRetention=" + chatRetention + ", conversationActionsPerSecond=" + conversationActionsPerSecond
                + ", iceServers=" + iceServers
                + ", allowedOrigins=" + new TreeSet<>(allowedOrigins) + ", bodyDeadline=" + bodyDeadline + "]";
    }

    /**
     * Collects settings, each starting at its named default; {@link #build()} validates them. A rule
     * that fails names the environment variable of the setting ({@link EnvironmentConfig}'s constants),
     * however the value was set. To add a setting: a field with its default, a setter, a rule in
     * {@link #validate()}, an accessor on {@link Config}, and a line in {@link EnvironmentConfig}.
     */
    public static final class Builder {
        private TwilioCredentials twilio;
        private String conversationsServiceSid;
        private URI apiBaseUrl;
        private String defaultRoom = DEFAULT_ROOM;
        private Duration tokenTtl = DEFAULT_TOKEN_TTL;
        private boolean chatRequired;
        private LoginRate loginRate = LoginRate.DEFAULT;
        private boolean trustProxy;
        private Duration upstreamTimeout = DEFAULT_UPSTREAM_TIMEOUT;
        private Duration loginDeadline = DEFAULT_LOGIN_DEADLINE;
        private String localSecret;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD;
        private Duration chatRetention = DEFAULT_CHAT_RETENTION;
        private int conversationActionsPerSecond = DEFAULT_CONVERSATION_ACTIONS_PER_SECOND;
        /** Null: {@value #DEFAULT_MEMBER_UPLOAD_FILES} × {@link #maxUploadBytes}. */
        private Long memberUploadQuotaBytes;
        private IceServers iceServers = IceServers.none();
        private Set<String> allowedOrigins = new LinkedHashSet<>();
        private Duration bodyDeadline = DEFAULT_BODY_DEADLINE;

        private Builder() {
        }

        /**
         * @param credentials Twilio credentials, or null for the embedded local provider (the default)
         * @return this builder
         */
        public Builder twilio(TwilioCredentials credentials) {
            this.twilio = credentials;
            return this;
        }

        /**
         * @param serviceSid the Conversations service ({@code IS…}), or null for the account's default
         * @return this builder
         */
        public Builder conversationsServiceSid(String serviceSid) {
            this.conversationsServiceSid = serviceSid;
            return this;
        }

        /**
         * @param url an absolute http(s) URL for Twilio REST traffic, or null for Twilio's own hosts
         * @return this builder
         */
        public Builder apiBaseUrl(URI url) {
            this.apiBaseUrl = url;
            return this;
        }

        /**
         * @param room the room a login joins when it names none; default {@value Config#DEFAULT_ROOM}
         * @return this builder
         */
        public Builder defaultRoom(String room) {
            this.defaultRoom = Objects.requireNonNull(room, "room");
            return this;
        }

        /**
         * @param ttl access-token lifetime, 60 s to 24 h; default 1 h
         * @return this builder
         */
        public Builder tokenTtl(Duration ttl) {
            this.tokenTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * @param required whether a login fails (503) instead of degrading to video-only when chat is down; default false
         * @return this builder
         */
        public Builder chatRequired(boolean required) {
            this.chatRequired = required;
            return this;
        }

        /**
         * @param rate the login rate limit; default {@link LoginRate#DEFAULT} (30/min)
         * @return this builder
         */
        public Builder loginRate(LoginRate rate) {
            this.loginRate = Objects.requireNonNull(rate, "rate");
            return this;
        }

        /**
         * @param trust whether to believe {@code X-Forwarded-For} (only behind your own reverse proxy); default false
         * @return this builder
         */
        public Builder trustProxy(boolean trust) {
            this.trustProxy = trust;
            return this;
        }

        /**
         * @param timeout connect/read timeout of one Twilio call, 50 ms to 1 min; default 5 s
         * @return this builder
         */
        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param deadline budget for the upstream part of one login, retries included, 100 ms to 2 min; default 10 s
         * @return this builder
         */
        public Builder loginDeadline(Duration deadline) {
            this.loginDeadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /**
         * @param secret HS256 secret of the local provider's tokens, at least 32 bytes, or null for a random one per process
         * @return this builder
         */
        public Builder localSecret(String secret) {
            this.localSecret = secret;
            return this;
        }

        /**
         * @param bytes largest file a chat member may share, 1 KiB to 100 MB; default 10 MB
         * @return this builder
         */
        public Builder maxUploadBytes(long bytes) {
            this.maxUploadBytes = bytes;
            return this;
        }

        /**
         * @param retention the {@code timers.closed} of each Twilio conversation, 10 minutes to 365 days; default 7 days
         * @return this builder
         */
        public Builder chatRetention(Duration retention) {
            this.chatRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * @param limit Twilio's actions per second per conversation for this account, 1 to 1,000,000; default 30
         *              (raise it only when Twilio raised it for the account)
         * @return this builder
         */
        public Builder conversationActionsPerSecond(int limit) {
            this.conversationActionsPerSecond = limit;
            return this;
        }

        /**
         * @param bytes most bytes of shared files one member keeps across all its rooms at once, from
         *              {@code maxUploadBytes} to {@value #MAX_MEMBER_UPLOAD_FILES} times it; default
         *              {@value #DEFAULT_MEMBER_UPLOAD_FILES} times it
         * @return this builder
         */
        public Builder memberUploadQuotaBytes(long bytes) {
            this.memberUploadQuotaBytes = bytes;
            return this;
        }

        /**
         * @param servers STUN/TURN servers for the local provider's calls, with the TURN secret their
         *                per-session credentials derive from (see {@link IceServers#of}); default none
         * @return this builder
         */
        public Builder iceServers(IceServers servers) {
            this.iceServers = Objects.requireNonNull(servers, "servers");
            return this;
        }

        /**
         * @param origins origins, besides the server's own, trusted for WebSocket upgrades and {@code text/plain}
         *                logins, each such as {@code https://chat.example.com}; normalised, and refused unless
         *                each is an origin without path
         * @return this builder
         */
        public Builder allowedOrigins(Set<String> origins) {
            this.allowedOrigins = new LinkedHashSet<>(Objects.requireNonNull(origins, "origins"));
            return this;
        }

        /**
         * @param deadline how long a client may take to send a request body once its headers are in, from
         *                 {@link #MIN_BODY_DEADLINE} to {@link #MAX_BODY_DEADLINE}
         * @return this builder
         */
        public Builder bodyDeadline(Duration deadline) {
            this.bodyDeadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        private long memberUploadQuota() {
            return memberUploadQuotaBytes != null ? memberUploadQuotaBytes : DEFAULT_MEMBER_UPLOAD_FILES * maxUploadBytes;
        }

        /**
         * Checks every value against its rule.
         *
         * @return this builder
         * @throws ConfigException naming the variable of the first value that breaks its rule
         */
        public Builder validate() {
            if (twilio != null) {
                matching(EnvironmentConfig.TWILIO_ACCOUNT_SID, twilio.accountSid(), ACCOUNT_SID, "AC");
                matching(EnvironmentConfig.TWILIO_API_KEY_SID, twilio.apiKeySid(), API_KEY_SID, "SK");
                if (twilio.apiKeySecret().reveal().isBlank()) {
                    throw new ConfigException(EnvironmentConfig.TWILIO_API_KEY_SECRET, "must not be blank");
                }
            }
            if (conversationsServiceSid != null) {
                matching(EnvironmentConfig.TWILIO_CONVERSATIONS_SERVICE_SID, conversationsServiceSid, SERVICE_SID, "IS");
            }
            if (apiBaseUrl != null) {
                String scheme = apiBaseUrl.getScheme() == null ? "" : apiBaseUrl.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || apiBaseUrl.getHost() == null) {
                    throw new ConfigException(EnvironmentConfig.TWILIO_API_BASE_URL,
                            "must be an absolute http(s) URL such as http://127.0.0.1:8089");
                }
            }
            String room = defaultRoom.strip();
            if (room.isEmpty() || room.codePointCount(0, room.length()) > MAX_ROOM_LENGTH
                    || room.codePoints().anyMatch(Character::isISOControl)) {
                throw new ConfigException(EnvironmentConfig.ROOM,
                        "must be 1-" + MAX_ROOM_LENGTH + " characters without control characters");
            }
            if (tokenTtl.compareTo(MIN_TOKEN_TTL) < 0) {
                throw new ConfigException(EnvironmentConfig.TOKEN_TTL,
                        "must be at least 60 seconds (got " + tokenTtl.toSeconds() + "s)");
            }
            between(EnvironmentConfig.TOKEN_TTL, tokenTtl, MIN_TOKEN_TTL, MAX_TOKEN_TTL);
            between(EnvironmentConfig.UPSTREAM_TIMEOUT, upstreamTimeout, MIN_UPSTREAM_TIMEOUT, MAX_UPSTREAM_TIMEOUT);
            between(EnvironmentConfig.LOGIN_DEADLINE, loginDeadline, MIN_LOGIN_DEADLINE, MAX_LOGIN_DEADLINE);
            between(EnvironmentConfig.CHAT_RETENTION, chatRetention, MIN_CHAT_RETENTION, MAX_CHAT_RETENTION);
            if (localSecret != null && localSecret.getBytes(StandardCharsets.UTF_8).length < MIN_LOCAL_SECRET_BYTES) {
                throw new ConfigException(EnvironmentConfig.LOCAL_SECRET, "must be at least 32 bytes long (HS256 key)");
            }
            if (conversationActionsPerSecond < 1 || conversationActionsPerSecond > 1_000_000) {
                throw new ConfigException(EnvironmentConfig.TWILIO_ACTIONS_PER_SECOND, "must be between 1 and 1000000 (got "
                        + conversationActionsPerSecond + ")");
            }
            if (maxUploadBytes < MIN_MAX_UPLOAD || maxUploadBytes > MAX_MAX_UPLOAD) {
                throw new ConfigException(EnvironmentConfig.MAX_UPLOAD, "must be between 1KB and 100MB (got "
                        + maxUploadBytes + " bytes)");
            }
            between(EnvironmentConfig.BODY_DEADLINE, bodyDeadline, MIN_BODY_DEADLINE, MAX_BODY_DEADLINE);
            Set<String> origins = new LinkedHashSet<>();
            for (String candidate : allowedOrigins) {
                origins.add(Origins.serialize(candidate).orElseThrow(() -> new ConfigException(
                        EnvironmentConfig.ALLOWED_ORIGINS, "each entry must be an origin such as https://chat.example.com "
                        + "or http://localhost:3000, without path (got '" + candidate + "')")));
            }
            allowedOrigins = origins;
            long quota = memberUploadQuota();
            if (quota < maxUploadBytes || quota > MAX_MEMBER_UPLOAD_FILES * maxUploadBytes) {
                throw new ConfigException(EnvironmentConfig.MEMBER_UPLOAD_QUOTA, "must be between CALLCHAT_MAX_UPLOAD ("
                        + maxUploadBytes + " bytes) and " + MAX_MEMBER_UPLOAD_FILES + " times it (got " + quota + " bytes)");
            }
            return this;
        }

        /**
         * @return the validated configuration
         * @throws ConfigException naming the variable of the first value that breaks its rule
         */
        public Config build() {
            validate();
            return new Config(this);
        }

        private static void matching(String name, String value, Pattern pattern, String prefix) {
            if (!pattern.matcher(value).matches()) {
                throw new ConfigException(name, "must be '" + prefix + "' followed by 32 lowercase hex digits (got "
                        + value.length() + " characters" + (value.startsWith(prefix) ? "" : " not starting with " + prefix)
                        + ")");
            }
        }

        private static void between(String name, Duration d, Duration min, Duration max) {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new ConfigException(name, "must be between " + EnvironmentConfig.human(min) + " and "
                        + EnvironmentConfig.human(max) + " (got " + EnvironmentConfig.human(d) + ")");
            }
        }
    }
}

package dev.callchat.core;

import dev.callchat.core.config.Config;
import dev.callchat.core.config.IceServer;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomGoneException;
import dev.callchat.core.spi.Deadline;
import dev.callchat.core.spi.ParticipantRoster;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.ProviderFactory;
import dev.callchat.core.spi.RoomHub;
import dev.callchat.core.spi.TokenIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one entry point: a login finds or creates the room's chatroom, enrolls the user and returns
 * one access token for both the video room and the chat.
 *
 * <pre>{@code
 * CallSessionService calls = CallSessionService.create(Config.fromEnvironment());
 * CallSession session = calls.login(LoginRequest.of("ana", "My Room"));
 * }</pre>
 *
 * Thread-safe; build one per application and {@link #close()} it on shutdown. Give the builder your
 * {@link MeterRegistry} to see logins, the provider's upstream calls and the local hub as meters
 * (names in {@link CallChatMeters}); without one, nothing is recorded.
 */
public final class CallSessionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallSessionService.class);

    private final Config config;
    private final Provider provider;
    private final Authenticator authenticator;
    private final IdentityPolicy identityPolicy;
    private final AtomicBoolean chatDegraded = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MeterRegistry meters;
    private final LoginMeters loginMeters;
    private final RoomRegistry rooms;
    private final RoomModeration moderation;
    private final RoomEventQueue events;

    /** How many room events wait for a slow {@link RoomEvents} listener before new ones are dropped. */
    public static final int ROOM_EVENT_QUEUE = 10_000;

    /** @return whether an {@link Authenticator} of the application decides identities (not the typed username) */
    public boolean identifiesUsers() {
        return authenticator != Builder.TYPED_USERNAME;
    }

    private CallSessionService(Builder builder) {
        this.config = builder.config;
        this.authenticator = builder.authenticator;
        this.identityPolicy = builder.identityPolicy;
        // An empty composite hands out no-op meters: embedders who pass no registry pay nothing.
        this.meters = builder.meters != null ? builder.meters : new CompositeMeterRegistry();
        this.provider = builder.provider != null ? builder.provider : loadProvider(config, builder.clock, meters);
        this.loginMeters = new LoginMeters(meters, provider.name());
        this.rooms = new RoomRegistry(builder.clock, config.tokenTtl());
        this.events = builder.roomEvents == null ? null : new RoomEventQueue(builder.roomEvents, ROOM_EVENT_QUEUE);
        rooms.bind(provider.control(), events == null ? event -> { } : events::offer,
                builder.roomEvents != null && builder.roomEvents.wantsMessageBodies());
        provider.control().bind(rooms);
        this.moderation = new RoomModeration(rooms, provider.tokens(), identityPolicy);
        if (provider.localHub().isEmpty() && !config.iceServers().isEmpty()) {
            LOG.warn("CALLCHAT_ICE_SERVERS is ignored by the {} provider, which brings its own relays", provider.name());
        }
    }

    /** Providers are found, never named: core does not depend on any of them (see docs/architecture.md). */
    private static Provider loadProvider(Config config, Clock clock, MeterRegistry meters) {
        String name = config.providerName();
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, CallSessionService.class.getClassLoader())) {
            if (factory.name().equals(name)) {
                return factory.create(config, clock, meters);
            }
        }
        throw new IllegalStateException("The configuration selects the '" + name + "' provider, but it is not on the"
                + " classpath; add the dev.callchat:callchat-" + name + " artifact");
    }

    /**
     * @param config the configuration; its Twilio credentials select the provider
     * @return a service with the default identity rules
     */
    public static CallSessionService create(Config config) {
        return builder(config).build();
    }

    /**
     * @param config the configuration
     * @return a builder to customise authentication, identity rules, clock or provider
     */
    public static Builder builder(Config config) {
        return new Builder(config);
    }

    /**
     * Logs a user in.
     *
     * @param request the raw login
     * @return the session: token, chat, room, identity
     * @throws CallChatException for invalid input (400/401), an unusable upstream (502) or, when chat is
     *                           required, an unavailable one (503)
     */
    public CallSession login(LoginRequest request) {
        return login(request, identity -> { });
    }

    /**
     * Logs a user in, letting the caller refuse the identity before any upstream work: the HTTP
     * layer's login rate limit keys on it when {@link #identifiesUsers()}.
     *
     * @param request the raw login
     * @param admit   called with the normalized identity; throws a {@link CallChatException} to refuse
     * @return the session
     * @throws CallChatException as {@link #login(LoginRequest)}, or whatever {@code admit} throws
     */
    public CallSession login(LoginRequest request, java.util.function.Consumer<String> admit) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(admit, "admit");
        long start = loginMeters.start();
        try {
            CallSession session = loginUntimed(request, admit);
            loginMeters.record(session.chat() ? CallChatMeters.LOGIN_OK : CallChatMeters.LOGIN_VIDEO_ONLY, start);
            return session;
        } catch (CallChatException e) {
            // A refusal by admit (the per-user rate limit) counts here as rate-limited, like the HTTP layer's.
            loginMeters.record(LoginMeters.outcome(e.kind()), start);
            throw e;
        } catch (RuntimeException | Error e) {
            loginMeters.record(CallChatMeters.LOGIN_ERROR, start);
            throw e;
        }
    }

    private CallSession loginUntimed(LoginRequest request, java.util.function.Consumer<String> admit) {
        AuthenticatedUser user = authenticator.identify(request);
        String identity = identityPolicy.identity(user.identity());
        admit.accept(identity);
        String room = identityPolicy.room(request.room() == null ? config.defaultRoom() : request.room());
        // Bans and locks are decided before any upstream work: a refusal costs no Twilio call.
        rooms.checkLogin(room, identity);

        Joined joined = joinChat(room, identity);
        if (joined != null && joined.admission() == ParticipantRoster.Admission.FULL) {
            if (config.chatRequired()) {
                throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "The chat of this room is full; try again"
                        + " once someone has left");
            }
            joined = null; // video only, and not an outage: chatDegraded stays as it is
        }
        Chatroom chatroom = joined == null ? null : joined.chatroom();
        TokenIssuer.IssuedToken token = provider.tokens().issue(identity, room, chatroom);
        ChatStatus status = joined == null ? ChatStatus.UNAVAILABLE
                : joined.admission() == ParticipantRoster.Admission.ENROLLED ? ChatStatus.READY : ChatStatus.PENDING;
        // Only the local provider's browsers connect peer to peer; Twilio's SDK gets its relays from Twilio.
        List<IceServer> iceServers = provider.localHub().isPresent()
                ? config.iceServers().forSession(identity, token.expiresAt()) : List.of();
        RoomRegistry.Seat seat = rooms.loggedIn(room, identity, user.role(), token.expiresAt());
        return new CallSession(token.jwt(), chatroom == null ? null : chatroom.conversationSid(), room, identity,
                token.expiresAt(), chatroom != null, provider.name(), status, iceServers, seat.role(), seat.host());
    }

    /** A chatroom and whether the identity is in it yet or queued to be. */
    private record Joined(Chatroom chatroom, ParticipantRoster.Admission admission) {
    }

    /** @return the chatroom the identity is enrolled or queued in, or null when chat is down and not required */
    private Joined joinChat(String room, String identity) {
        try {
            Joined joined = enroll(room, identity);
            if (chatDegraded.compareAndSet(true, false)) {
                LOG.info("Chat is available again; logins get chat grants");
            }
            return joined;
        } catch (CallChatException e) {
            if (e.kind() != ErrorKind.SERVICE_UNAVAILABLE || config.chatRequired()) {
                throw e;
            }
            // Once per outage at WARN: during one, every login degrades and would flood the log.
            if (chatDegraded.compareAndSet(false, true)) {
                LOG.warn("Chat is unavailable ({}); issuing video-only tokens until it recovers", e.detail());
            } else {
                LOG.debug("Chat still unavailable ({}); video-only token for room '{}'", e.detail(), room);
            }
            return null;
        }
    }

    /** @return the chatroom the identity is now enrolled (or queued to be enrolled) in */
    private Joined enroll(String room, String identity) {
        // One budget for the whole chat part, the gone-and-recreated retry included.
        Deadline deadline = Deadline.after(config.loginDeadline());
        Chatroom chatroom = provider.chatrooms().findOrCreate(room, deadline);
        try {
            return new Joined(chatroom, provider.roster().admit(chatroom, identity, deadline));
        } catch (ChatroomGoneException gone) {
            // Deleted upstream while we had it cached: look it up afresh, once.
            LOG.info("Chatroom {} of room '{}' is gone upstream; recreating it", chatroom.conversationSid(), room);
            provider.chatrooms().evict(room);
        }
        chatroom = provider.chatrooms().findOrCreate(room, deadline);
        try {
            return new Joined(chatroom, provider.roster().admit(chatroom, identity, deadline));
        } catch (ChatroomGoneException goneAgain) {
            // Same treatment as an outage: video-only unless chat is required (then 503).
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE,
                    "The chat for this room could not be set up; try again shortly", null, goneAgain);
        }
    }

    /** @return the provider's name, {@code "twilio"} or {@code "local"} */
    public String providerName() {
        return provider.name();
    }

    /** @return the configuration this service was built from */
    public Config config() {
        return config;
    }

    /**
     * @return the registry this service records its meters on: the one given to
     *         {@link Builder#meterRegistry}, else an empty composite that keeps nothing
     */
    public MeterRegistry meterRegistry() {
        return meters;
    }

    /**
     * @return whether the service can take logins: true from construction (the provider is built and its
     *         configuration checked before the service exists) until {@link #close()}
     */
    public boolean ready() {
        return !closed.get();
    }

    /** @return the in-process room hub that the {@code /local/ws} endpoint bridges to, for the local provider */
    public Optional<RoomHub> localHub() {
        return provider.localHub();
    }

    /**
     * @return what the provider's backend reports by calling this server, which {@code POST /twilio/events} hands
     *         on; {@link dev.callchat.core.spi.ProviderCallbacks#NONE} when it reports nothing (the route is a 404)
     */
    public dev.callchat.core.spi.ProviderCallbacks providerCallbacks() {
        return provider.callbacks();
    }

    /** @return what a room's host can do: remove, ban, lock, unlock, end, hand over */
    public RoomModeration moderation() {
        return moderation;
    }

    /**
     * @return how many room events were dropped because the {@link RoomEvents} listener fell
     *         {@link #ROOM_EVENT_QUEUE} events behind (0 without a listener)
     */
    public long droppedRoomEvents() {
        return events == null ? 0 : events.dropped();
    }

    /** Releases the provider's threads and connections, then delivers the room events still queued (a few seconds at most). Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            provider.resources().close();
        } catch (Exception e) {
            LOG.warn("Error while closing the {} provider", provider.name(), e);
        }
        if (events != null) {
            events.close();
        }
    }

    /** Assembles a {@link CallSessionService}. */
    public static final class Builder {
        private final Config config;
        private Clock clock = Clock.systemUTC();
        private static final Authenticator TYPED_USERNAME = Authenticator.typedUsername();
        private Authenticator authenticator = TYPED_USERNAME;
        private IdentityPolicy identityPolicy = IdentityPolicy.standard();
        private Provider provider;
        private RoomEvents roomEvents;
        private MeterRegistry meters;

        private Builder(Config config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * @param clock the time source for token expiry and caches (tests inject a fixed one)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param authenticator decides the identity from the request, instead of the typed username
         * @return this builder
         */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * @param identityPolicy replaces the standard identity and room rules
         * @return this builder
         */
        public Builder identityPolicy(IdentityPolicy identityPolicy) {
            this.identityPolicy = Objects.requireNonNull(identityPolicy, "identityPolicy");
            return this;
        }

        /**
         * @param provider a ready-made provider, instead of the one the configuration selects
         * @return this builder
         */
        public Builder provider(Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * @param listener receives what happens in rooms, on a thread of its own (see {@link RoomEvents})
         * @return this builder
         */
        public Builder roomEvents(RoomEvents listener) {
            this.roomEvents = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param meters where logins, upstream calls and the local hub are recorded (names in
         *               {@link CallChatMeters}); by default nothing is
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** @return the service */
        public CallSessionService build() {
            return new CallSessionService(this);
        }
    }
}

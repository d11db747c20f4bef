package dev.callchat.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.callchat.core.spi.RoomControl;
import dev.callchat.core.spi.RoomSignals;
import dev.callchat.core.spi.SharedFile;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Who is in each room, who hosts it, and its lock and bans; the one place these are decided
 * (docs/embedding.md#hosts-and-moderation).
 *
 * <p>A member is an identity that logged in to the room (or connected to it) and whose newest token has
 * not expired; it is present until its connection leaves. The first present member of a room with no
 * present member hosts it. When the host leaves, the longest-present member that may host takes over;
 * when nobody may, the room has no host until someone who may joins.
 *
 * <p>Memory is bounded by time: a room's state is kept only while something in it still matters (a
 * member's token, a ban, a removal or an end that old tokens must not outlive), on the injected clock.
 * Every change happens inside the cache's per-room {@code compute}; what the change means for the
 * provider and the application (closing connections, events) runs after it, with no lock held.
 */
final class RoomRegistry implements RoomSignals {
    /** The longest ban a host may give. */
    static final Duration MAX_BAN = Duration.ofDays(30);

    private final Clock clock;
    private final Duration tokenTtl;
    private final Cache<String, State> rooms;
    private volatile RoomControl control = RoomControl.NONE;
    private volatile Consumer<RoomEvent> events = e -> { };
    private volatile boolean eventBodies;

    /** One member of a room. */
    private static final class Member {
        final String identity;
        Instant since;
        Instant tokenExpiresAt;
        @Nullable Role declared;
        boolean present;

        Member(String identity, Instant since, Instant tokenExpiresAt, @Nullable Role declared) {
            this.identity = identity;
            this.since = since;
            this.tokenExpiresAt = tokenExpiresAt;
            this.declared = declared;
            this.present = true;
        }

        boolean mayHost() {
            return declared != Role.PARTICIPANT;
        }
    }

    /** One room's state; only touched inside the cache's compute for its room. */
    private static final class State {
        final Map<String, Member> members = new LinkedHashMap<>();
        final Map<String, Instant> bans = new HashMap<>();
        /** Identity to when its removal stops mattering (its older tokens have expired by then). */
        final Map<String, Instant> removed = new HashMap<>();
        @Nullable String host;
        boolean locked;
        @Nullable Instant endedUntil;

        Instant keepUntil() {
            Instant keep = Instant.MIN;
            for (Member m : members.values()) {
                keep = later(keep, m.tokenExpiresAt);
            }
            for (Instant until : bans.values()) {
                keep = later(keep, until);
            }
            for (Instant until : removed.values()) {
                keep = later(keep, until);
            }
            return endedUntil == null ? keep : later(keep, endedUntil);
        }

        boolean isEmpty() {
            return members.isEmpty() && bans.isEmpty() && removed.isEmpty() && endedUntil == null;
        }
    }

    /** The effects of a change, run once the room's state is no longer locked. */
    private final class Effects {
        final List<Runnable> actions = new ArrayList<>();
        final String room;
        final Instant now;
        @Nullable String hostBefore;
        boolean lockedBefore;
        boolean announce;

        Effects(String room, Instant now) {
            this.room = room;
            this.now = now;
        }

        void event(RoomEvent.Type type, @Nullable String participant, Map<String, String> details) {
            RoomEvent event = new RoomEvent(UUID.randomUUID().toString(), type, room, now, participant, details);
            actions.add(() -> events.accept(event));
        }

        void run(RoomSignals.@Nullable Status after) {
            if (after != null && (announce || !Objects.equals(hostBefore, after.host()) || lockedBefore != after.locked())) {
                if (!Objects.equals(hostBefore, after.host()) && after.host() != null) {
                    event(RoomEvent.Type.HOST_CHANGED, after.host(), Map.of());
                }
                RoomControl c = control;
                actions.add(() -> c.announce(room, after));
            }
            actions.forEach(Runnable::run);
        }
    }

    /** What a login is told about its room. */
    record Seat(Role role, @Nullable String host) {
    }

    RoomRegistry(Clock clock, Duration tokenTtl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokenTtl = Objects.requireNonNull(tokenTtl, "tokenTtl");
        long origin = clock.millis();
        this.rooms = Caffeine.newBuilder()
                .ticker(() -> (clock.millis() - origin) * 1_000_000L)
                .executor(Runnable::run)
                .expireAfter(new Expiry<String, State>() {
                    @Override
                    public long expireAfterCreate(String room, State state, long now) {
                        return nanosLeft(state);
                    }

                    @Override
                    public long expireAfterUpdate(String room, State state, long now, long current) {
                        return nanosLeft(state);
                    }

                    @Override
                    public long expireAfterRead(String room, State state, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    private long nanosLeft(State state) {
        Duration left = Duration.between(clock.instant(), state.keepUntil());
        return left.isNegative() ? 0 : Math.min(Long.MAX_VALUE / 2, left.toNanos());
    }

    void bind(RoomControl control, Consumer<RoomEvent> events, boolean eventBodies) {
        this.control = Objects.requireNonNull(control, "control");
        this.events = Objects.requireNonNull(events, "events");
        this.eventBodies = eventBodies;
    }

    /** A change to one room: may throw before changing anything to refuse. */
    @FunctionalInterface
    private interface Change<T> {
        T apply(State state, Effects effects);
    }

    private <T> T change(String room, Change<T> change) {
        Instant now = clock.instant();
        Effects effects = new Effects(room, now);
        Object[] result = new Object[1];
        RoomSignals.Status[] after = new RoomSignals.Status[1];
        rooms.asMap().compute(room, (name, existing) -> {
            State state = existing == null ? new State() : existing;
            prune(state, now, effects);
            effects.hostBefore = state.host;
            effects.lockedBefore = state.locked;
            result[0] = change.apply(state, effects);
            after[0] = new RoomSignals.Status(state.host, state.locked);
            return state.isEmpty() ? null : state;
        });
        effects.run(after[0]);
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** Drops what has expired; a host whose token expired passes the role on. */
    private void prune(State state, Instant now, Effects effects) {
        state.bans.values().removeIf(until -> !until.isAfter(now));
        state.removed.values().removeIf(until -> !until.isAfter(now));
        if (state.endedUntil != null && !state.endedUntil.isAfter(now)) {
            state.endedUntil = null;
        }
        state.members.values().removeIf(m -> !m.tokenExpiresAt.isAfter(now));
        if (state.host != null && !state.members.containsKey(state.host)) {
            state.host = nextHost(state);
        }
        if (state.members.isEmpty()) {
            state.locked = false; // a lock lasts while the room has members
        }
    }

    private static @Nullable String nextHost(State state) {
        return state.members.values().stream()
                .filter(m -> m.present && m.mayHost())
                .min(Comparator.comparing((Member m) -> m.since))
                .map(m -> m.identity)
                .orElse(null);
    }

    private static boolean hasPresent(State state) {
        return state.members.values().stream().anyMatch(m -> m.present);
    }

    // ---- logins

    /** Refuses a login before any provider work: banned (403) or a locked room it is not a member of (423). */
    void checkLogin(String room, String identity) {
        change(room, (state, effects) -> {
            refuseLogin(state, identity);
            return null;
        });
    }

    private void refuseLogin(State state, String identity) {
        Instant ban = state.bans.get(identity);
        if (ban != null) {
            throw new CallChatException(ErrorKind.FORBIDDEN, "You are banned from this room until " + ban);
        }
        if (state.locked && !state.members.containsKey(identity)) {
            throw new CallChatException(ErrorKind.LOCKED, "This room is locked by its host: nobody new can join"
                    + " until the host unlocks it");
        }
    }

    /** Records a successful login (after its token was issued) and says the member's role and the host. */
    Seat loggedIn(String room, String identity, @Nullable Role declared, Instant tokenExpiresAt) {
        return change(room, (state, effects) -> {
            refuseLogin(state, identity);
            Member member = state.members.get(identity);
            if (member == null) {
                member = new Member(identity, effects.now, tokenExpiresAt, declared);
                state.members.put(identity, member);
            } else {
                if (!member.present) {
                    member.since = effects.now;
                    member.present = true;
                }
                member.declared = declared;
                member.tokenExpiresAt = later(member.tokenExpiresAt, tokenExpiresAt);
            }
            state.removed.remove(identity); // a fresh login lets a removed (not banned) member back
            seatHost(state, member);
            return new Seat(roleOf(state, member), state.host);
        });
    }

    /** Gives the host seat to a member who should have it: the room has no host, or the application says so. */
    private static void seatHost(State state, Member member) {
        if (!member.mayHost()) {
            if (member.identity.equals(state.host)) {
                state.host = nextHost(state); // the application took the role away
            }
            return;
        }
        Member host = state.host == null ? null : state.members.get(state.host);
        if (host == null || (member.declared == Role.HOST && host.declared != Role.HOST)) {
            state.host = member.identity;
        }
    }

    private static Role roleOf(State state, Member member) {
        return member.identity.equals(state.host) || member.declared == Role.HOST ? Role.HOST : Role.PARTICIPANT;
    }

    // ---- what providers report

    @Override
    public @Nullable Refusal refusal(String room, String identity) {
        return change(room, (state, effects) -> {
            if (state.bans.containsKey(identity)) {
                return Refusal.BANNED;
            }
            if (state.removed.containsKey(identity)) {
                return Refusal.REMOVED;
            }
            boolean member = state.members.containsKey(identity);
            if (state.endedUntil != null && !member) {
                return Refusal.ENDED;
            }
            return state.locked && !member ? Refusal.LOCKED : null;
        });
    }

    @Override
    public Status status(String room) {
        return change(room, (state, effects) -> new Status(state.host, state.locked));
    }

    @Override
    public void joined(String room, String identity) {
        change(room, (state, effects) -> {
            Member member = state.members.get(identity);
            if (member == null) {
                // Connected with a token this process did not record (a restart with a configured secret).
                member = new Member(identity, effects.now, effects.now.plus(tokenTtl), null);
                state.members.put(identity, member);
            } else if (!member.present) {
                member.present = true;
                member.since = effects.now;
            }
            if (state.host == null && member.mayHost()) {
                state.host = identity;
            }
            effects.event(RoomEvent.Type.PARTICIPANT_JOINED, identity, Map.of());
            return null;
        });
    }

    @Override
    public void left(String room, String identity) {
        change(room, (state, effects) -> {
            Member member = state.members.get(identity);
            if (member != null) {
                member.present = false;
                if (identity.equals(state.host)) {
                    state.host = nextHost(state);
                }
            }
            effects.event(RoomEvent.Type.PARTICIPANT_LEFT, identity, Map.of());
            return null;
        });
    }

    @Override
    public void messageAdded(String room, String messageId, String author, Instant at, String body) {
        Map<String, String> details = eventBodies ? Map.of("message_id", messageId, "body", body)
                : Map.of("message_id", messageId);
        events.accept(new RoomEvent(UUID.randomUUID().toString(), RoomEvent.Type.MESSAGE_ADDED, room, at, author, details));
    }

    @Override
    public void fileShared(String room, SharedFile file, String by, Instant at) {
        events.accept(new RoomEvent(UUID.randomUUID().toString(), RoomEvent.Type.FILE_SHARED, room, at, by,
                Map.of("file_id", file.id(), "file_name", file.name(), "file_type", file.contentType(),
                        "file_size", Long.toString(file.size()))));
    }

    // ---- host actions; the caller is already verified to hold a valid token for the room

    private Member requireHost(State state, String caller) {
        Member member = state.members.get(caller);
        if (member == null) {
            throw new CallChatException(ErrorKind.FORBIDDEN, "You are not a member of this room any more; log in again");
        }
        if (roleOf(state, member) != Role.HOST) {
            throw new CallChatException(ErrorKind.FORBIDDEN, "Only the room's host can do this"
                    + (state.host == null ? "" : "; the host is " + state.host));
        }
        return member;
    }

    private static void requireOther(String caller, String target) {
        if (caller.equals(target)) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "A host cannot do this to themselves");
        }
    }

    private static CallChatException notMember(String target) {
        return new CallChatException(ErrorKind.NOT_FOUND, "'" + target + "' is not a member of this room");
    }

    /** Takes a member out of the room; caller holds the room. */
    private void takeOut(State state, Member target, Effects effects) {
        state.members.remove(target.identity);
        state.removed.put(target.identity, later(target.tokenExpiresAt, effects.now.plus(tokenTtl)));
        if (target.identity.equals(state.host)) {
            state.host = nextHost(state);
        }
    }

    void remove(String room, String caller, String target) {
        change(room, (state, effects) -> {
            requireHost(state, caller);
            requireOther(caller, target);
            Member member = state.members.get(target);
            if (member == null) {
                throw notMember(target);
            }
            takeOut(state, member, effects);
            effects.event(RoomEvent.Type.PARTICIPANT_REMOVED, target, Map.of("by", caller));
            RoomControl c = control;
            effects.actions.add(() -> c.remove(room, target, Refusal.REMOVED, "The host removed you from the call"));
            return null;
        });
    }

    Instant ban(String room, String caller, String target, Instant until) {
        return change(room, (state, effects) -> {
            requireHost(state, caller);
            requireOther(caller, target);
            if (!until.isAfter(effects.now)) {
                throw new CallChatException(ErrorKind.BAD_REQUEST, "until must be in the future");
            }
            if (until.isAfter(effects.now.plus(MAX_BAN))) {
                throw new CallChatException(ErrorKind.BAD_REQUEST, "A ban lasts at most " + MAX_BAN.toDays() + " days");
            }
            Member member = state.members.get(target);
            // A token cannot be revoked (Twilio's cannot): the ban outlasts the newest one the member holds.
            Instant effective = member == null ? until : later(until, member.tokenExpiresAt);
            state.bans.merge(target, effective, RoomRegistry::later);
            Instant banned = state.bans.get(target);
            // The event first: the connection's own "left" follows from the removal.
            effects.event(RoomEvent.Type.PARTICIPANT_BANNED, target, Map.of("by", caller, "until", banned.toString()));
            if (member != null) {
                takeOut(state, member, effects);
                RoomControl c = control;
                effects.actions.add(() -> c.remove(room, target, Refusal.BANNED,
                        "The host removed you from the call; you cannot rejoin before " + banned));
            }
            return banned;
        });
    }

    void lock(String room, String caller, boolean locked) {
        change(room, (state, effects) -> {
            requireHost(state, caller);
            if (state.locked != locked) {
                state.locked = locked;
                effects.event(locked ? RoomEvent.Type.ROOM_LOCKED : RoomEvent.Type.ROOM_UNLOCKED, null, Map.of("by", caller));
            }
            return null;
        });
    }

    void end(String room, String caller) {
        change(room, (state, effects) -> {
            requireHost(state, caller);
            Instant latest = effects.now.plus(tokenTtl);
            for (Member m : state.members.values()) {
                latest = later(latest, m.tokenExpiresAt);
            }
            state.members.clear();
            state.host = null;
            state.locked = false;
            state.endedUntil = latest;
            effects.event(RoomEvent.Type.ROOM_ENDED, null, Map.of("by", caller));
            RoomControl c = control;
            effects.actions.add(() -> c.end(room));
            return null;
        });
    }

    void handOver(String room, String caller, String target) {
        change(room, (state, effects) -> {
            requireHost(state, caller);
            Member member = state.members.get(target);
            if (member == null || !member.present) {
                throw notMember(target);
            }
            if (!member.mayHost()) {
                throw new CallChatException(ErrorKind.BAD_REQUEST, "'" + target + "' cannot host this room: the"
                        + " application made them a participant");
            }
            state.host = target;
            return null;
        });
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** @return how many rooms have state (for tests) */
    long roomCount() {
        rooms.cleanUp();
        return rooms.estimatedSize();
    }
}

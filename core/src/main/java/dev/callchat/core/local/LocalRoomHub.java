package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process rooms of the local provider: presence, chat history and the WebRTC signaling
 * relay, spoken over WebSocket text frames (protocol v1, {@code docs/local-protocol.md}).
 *
 * <p>Framework-free: an adapter calls {@link #connect(HubPeer)} when a socket opens and forwards
 * its frames and closure to the returned {@link HubConnection}. The hub never blocks on a peer:
 * each connection has a bounded outbound queue with one send in flight, and a member that falls
 * too far behind is disconnected (4408) instead of stalling its room.
 *
 * <p>Obtain it from {@code CallSessionService.localHub()}; thread-safe.
 */
public final class LocalRoomHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRoomHub.class);

    private final HubLimits limits;
    private final TokenVerifier tokens;
    private final Clock clock;
    private final Deadlines deadlines;
    private final Frames frames = new Frames(new ObjectMapper());
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Set<MemberConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    LocalRoomHub(HubLimits limits, TokenVerifier tokens, Clock clock, Deadlines deadlines) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    }

    /**
     * Called when a WebSocket opens. The client must then authenticate within
     * {@link HubLimits#authDeadline()}.
     *
     * @param peer the adapter's handle on the socket
     * @return the connection that receives the client's frames
     */
    public HubConnection connect(HubPeer peer) {
        MemberConnection connection = new MemberConnection(this, Objects.requireNonNull(peer, "peer"), limits, clock);
        connections.add(connection);
        connection.startAuthDeadline(deadlines.schedule(limits.authDeadline(), connection::authDeadlinePassed));
        if (closing) {
            connection.closeWith(MemberConnection.GOING_AWAY, "server shutting down");
        }
        return connection;
    }

    /** @return the limits this hub enforces */
    public HubLimits limits() {
        return limits;
    }

    /** Closes every connection with 1001 "server shutting down" and stops the hub's timer thread. Idempotent. */
    @Override
    public void close() {
        closing = true;
        for (MemberConnection connection : List.copyOf(connections)) {
            connection.closeWith(MemberConnection.GOING_AWAY, "server shutting down");
        }
        deadlines.close();
    }

    Frames frames() {
        return frames;
    }

    Optional<Grant> verify(String token) {
        return tokens.verify(token);
    }

    /** Puts an authenticated connection into its room, replacing an older connection of the same identity. */
    void join(MemberConnection connection) {
        Grant grant = connection.grant();
        Deliveries deliveries = new Deliveries();
        while (true) {
            Room room = rooms.computeIfAbsent(grant.room(), name -> new Room(name, limits.historySize()));
            synchronized (room) {
                if (room.removed()) {
                    continue; // it emptied between lookup and lock: fetch the new one
                }
                // Set before checking for closure: a concurrent close either sees the room and leaves it, or we see it closed.
                connection.enter(room);
                if (connection.isClosed()) {
                    removeIfEmpty(room);
                    return;
                }
                MemberConnection older = room.member(grant.identity());
                if (older != null) {
                    room.remove(older);
                    if (older.markClosed()) {
                        deliveries.close(older, MemberConnection.REPLACED, "replaced");
                    }
                    broadcast(room, frames.left(grant.identity()), deliveries);
                }
                boolean video = room.videoMembers() < limits.maxVideoMembers();
                connection.video(video);
                Map<String, Boolean> participants = new LinkedHashMap<>();
                room.members().forEach(m -> participants.put(m.identity(), m.video()));
                Room.Page history = grant.chat() ? room.page(Long.MAX_VALUE, limits.historyPageSize())
                        : new Room.Page(List.of(), false);
                deliveries.send(connection, frames.welcome(grant.identity(), room.name(), video, grant.chat(),
                        participants, history.messages(), history.more()));
                if (!video) {
                    deliveries.send(connection, frames.error("video_full", "This room already has "
                            + limits.maxVideoMembers() + " video participants: you joined for chat only"));
                }
                broadcast(room, frames.joined(grant.identity(), video), deliveries);
                room.put(connection);
                break;
            }
        }
        LOG.debug("'{}' joined room '{}' (video={})", grant.identity(), grant.room(), connection.video());
        deliveries.run();
    }

    /** Takes a closing connection out of its room and tells the others. */
    void leave(MemberConnection connection) {
        connections.remove(connection);
        Room room = connection.room();
        if (room == null) {
            return;
        }
        Deliveries deliveries = new Deliveries();
        synchronized (room) {
            if (!room.remove(connection)) {
                return;
            }
            if (!closing) {
                broadcast(room, frames.left(connection.identity()), deliveries);
            }
            removeIfEmpty(room);
        }
        LOG.debug("'{}' left room '{}'", connection.identity(), room.name());
        deliveries.run();
    }

    void chat(MemberConnection from, String text) {
        Room room = from.room();
        Deliveries deliveries = new Deliveries();
        synchronized (room) {
            if (!room.isCurrent(from)) {
                return;
            }
            ChatMessage message = room.append(from.identity(), text, clock.instant());
            broadcast(room, frames.chat(message), deliveries);
        }
        deliveries.run();
    }

    void signal(MemberConnection from, String to, JsonNode data) {
        Room room = from.room();
        Deliveries deliveries = new Deliveries();
        synchronized (room) {
            if (!room.isCurrent(from)) {
                return;
            }
            MemberConnection target = room.member(to);
            if (!from.video()) {
                deliveries.send(from, frames.error("video_full", "You joined for chat only: the video call is full"));
            } else if (target == null || target == from || !target.video()) {
                deliveries.send(from, frames.error("unknown_peer", "No video participant with that identity in this room"));
            } else {
                deliveries.send(target, frames.signal(from.identity(), data));
            }
        }
        deliveries.run();
    }

    void history(MemberConnection from, long before) {
        Room room = from.room();
        Deliveries deliveries = new Deliveries();
        synchronized (room) {
            if (!room.isCurrent(from)) {
                return;
            }
            Room.Page page = from.grant().chat() ? room.page(before, limits.historyPageSize())
                    : new Room.Page(List.of(), false);
            deliveries.send(from, frames.history(page.messages(), page.more()));
        }
        deliveries.run();
    }

    /** Caller holds the room's monitor. */
    private void broadcast(Room room, String frame, Deliveries deliveries) {
        for (MemberConnection member : room.members()) {
            deliveries.send(member, frame);
        }
    }

    /** Caller holds the room's monitor. */
    private void removeIfEmpty(Room room) {
        if (room.isEmpty()) {
            room.markRemoved();
            rooms.remove(room.name(), room);
        }
    }

    /** @return how many rooms have members (for tests and diagnostics) */
    int roomCount() {
        return rooms.size();
    }
}

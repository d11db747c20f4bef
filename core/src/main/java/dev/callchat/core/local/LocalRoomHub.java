package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.VisibleText;
import dev.callchat.core.spi.FileDownload;
import dev.callchat.core.spi.HubConnection;
import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.RoomHub;
import dev.callchat.core.spi.SharedFile;
import dev.callchat.core.spi.UploadLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
public final class LocalRoomHub implements RoomHub {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRoomHub.class);

    private final HubLimits limits;
    private final TokenVerifier tokens;
    private final Clock clock;
    private final Deadlines deadlines;
    private final Frames frames = new Frames(new ObjectMapper());
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Set<MemberConnection> connections = ConcurrentHashMap.newKeySet();
    private final UploadLimits uploadLimits;
    /** Which room holds each shared file, so a member of another room is told 403 rather than 404. */
    private final Map<String, Room> fileRooms = new ConcurrentHashMap<>();
    /** Bytes of shared files held across all rooms; reserved before a file is stored. */
    private final AtomicLong fileBytes = new AtomicLong();
    /** Bytes of shared files each identity holds across all rooms; no entry at zero. */
    private final Map<String, Long> memberFileBytes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final RoomOccupancy occupancy;
    private volatile boolean closing;
    /** Set once by {@link HubMeters#register} right after construction, before any connection exists. */
    private volatile HubMeters meters = HubMeters.NONE;

    LocalRoomHub(HubLimits limits, TokenVerifier tokens, Clock clock, Deadlines deadlines) {
        this(limits, UploadLimits.forMaxFile(dev.callchat.core.config.Config.DEFAULT_MAX_UPLOAD), tokens, clock, deadlines);
    }

    LocalRoomHub(HubLimits limits, UploadLimits uploadLimits, TokenVerifier tokens, Clock clock, Deadlines deadlines) {
        this(limits, uploadLimits, tokens, clock, deadlines, RoomOccupancy.NONE);
    }

    LocalRoomHub(HubLimits limits, UploadLimits uploadLimits, TokenVerifier tokens, Clock clock, Deadlines deadlines,
                 RoomOccupancy occupancy) {
        this.occupancy = Objects.requireNonNull(occupancy, "occupancy");
        this.uploadLimits = Objects.requireNonNull(uploadLimits, "uploadLimits");
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

    /** @return how much of shared files this hub keeps */
    public UploadLimits uploadLimits() {
        return uploadLimits;
    }

    /**
     * Shares a file in the chat of the room the token grants: stores it and announces it to the room
     * (and its history) as a {@code chat} message with a {@code file} object. Either all of that happens
     * or, on any refusal, nothing.
     *
     * @param token    the member's local token, as sent in {@code Authorization: Bearer}
     * @param fileName the name the uploader gave; cleaned (control characters and path separators removed)
     * @param content  the file's bytes; the type is sniffed from them
     * @return the shared file
     * @throws CallChatException 401 for a missing, invalid or expired token; 403 without a chat grant or when
     *         the member has no open connection to the room; 413 over {@link UploadLimits#maxFileBytes()};
     *         415 for content that is not an allowed type; 400 for an empty file; 413 also when the member
     *         would keep more than {@link UploadLimits#maxMemberBytes()} across its rooms; 429 when the member
     *         sends too fast; 503 when the hub's total cap is reached
     */
    public SharedFile upload(String token, String fileName, byte[] content) {
        Grant grant = uploader(token);
        if (content.length == 0) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "The file is empty");
        }
        if (content.length > uploadLimits.maxFileBytes()) {
            throw new CallChatException(ErrorKind.PAYLOAD_TOO_LARGE, tooLarge());
        }
        FileType type = FileType.sniff(content).orElseThrow(() -> new CallChatException(ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                "Only PNG, JPEG, GIF and WebP images, PDF documents and plain UTF-8 text can be shared"));
        byte[] id = new byte[16];
        random.nextBytes(id);
        SharedFile file = new SharedFile(HexFormat.of().formatHex(id), cleanName(fileName), type.contentType(),
                content.length, type.image());
        RoomFiles.Stored stored = new RoomFiles.Stored(file, content.clone(), grant.identity());
        Room room = rooms.get(grant.room());
        if (room == null) {
            throw notConnected();
        }
        Deliveries deliveries = new Deliveries();
        synchronized (room) {
            MemberConnection member = room.removed() ? null : room.member(grant.identity());
            if (member == null) {
                throw notConnected();
            }
            if (!member.tryConsumeUpload()) {
                throw new CallChatException(ErrorKind.TOO_MANY_REQUESTS, "You are sending too fast; try again in a moment",
                        Duration.ofSeconds(1), null);
            }
            List<RoomFiles.Stored> evictions = room.files().evictionsFor(content.length, uploadLimits.maxRoomBytes());
            long freed = evictions.stream().mapToLong(s -> s.content().length).sum();
            long freedOwn = evictions.stream().filter(s -> s.uploader().equals(grant.identity()))
                    .mapToLong(s -> s.content().length).sum();
            // Per identity across rooms: a client in several rooms must not fill the hub's cap alone.
            if (!reserveMember(grant.identity(), content.length - freedOwn)) {
                throw new CallChatException(ErrorKind.PAYLOAD_TOO_LARGE, "You already keep "
                        + memberFileBytes.getOrDefault(grant.identity(), 0L) + " bytes of shared files in your rooms;"
                        + " each member may keep at most " + uploadLimits.maxMemberBytes() + " (files are freed as"
                        + " rooms forget them or empty)");
            }
            if (!reserve(content.length - freed)) {
                reserveMember(grant.identity(), -(content.length - freedOwn));
                throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE,
                        "The server holds as many shared files as it can; try again later", Duration.ofSeconds(60), null);
            }
            room.files().add(stored, evictions);
            evictions.forEach(old -> {
                fileRooms.remove(old.file().id(), room);
                if (!old.uploader().equals(grant.identity())) {
                    reserveMember(old.uploader(), -old.content().length);
                }
            });
            fileRooms.put(file.id(), room);
            ChatMessage message = room.append(grant.identity(), file.name(), clock.instant(), file);
            broadcast(room, frames.chat(message), deliveries);
        }
        LOG.debug("'{}' shared a {} of {} bytes in room '{}'", grant.identity(), type, content.length, grant.room());
        deliveries.run();
        return file;
    }

    /**
     * Hands out a shared file to a member of its room.
     *
     * @param token the member's local token, as sent in {@code Authorization: Bearer}
     * @param id    the file's id
     * @return the file and a copy of its bytes
     * @throws CallChatException 401 for a missing, invalid or expired token; 403 when the file belongs to another
     *         room or the token grants no chat; 404 when there is no such file (any more)
     */
    public FileDownload download(String token, String id) {
        Grant grant = tokens.verify(token).orElseThrow(LocalRoomHub::unauthorized);
        Room room = id == null ? null : fileRooms.get(id);
        if (room == null) {
            throw new CallChatException(ErrorKind.NOT_FOUND, "No such file: it was never shared or is no longer kept");
        }
        if (!grant.chat() || !room.name().equals(grant.room())) {
            throw new CallChatException(ErrorKind.FORBIDDEN, "This file was shared in a room you are not a member of");
        }
        synchronized (room) {
            RoomFiles.Stored stored = room.removed() ? null : room.files().get(id);
            if (stored == null) {
                throw new CallChatException(ErrorKind.NOT_FOUND, "No such file: it was never shared or is no longer kept");
            }
            return new FileDownload(stored.file(), stored.content().clone());
        }
    }

    /**
     * Checks, before the HTTP layer reads a body, that the token may upload at all, so unauthenticated
     * or unauthorised requests never cost reading megabytes. {@link #upload} checks everything again.
     *
     * @param token the member's local token
     * @throws CallChatException 401 for a missing, invalid or expired token; 403 without a chat grant or an
     *         open connection to the room
     */
    public void authorizeUpload(String token) {
        Grant grant = uploader(token);
        Room room = rooms.get(grant.room());
        if (room == null) {
            throw notConnected();
        }
        synchronized (room) {
            if (room.removed() || room.member(grant.identity()) == null) {
                throw notConnected();
            }
        }
    }

    private Grant uploader(String token) {
        Grant grant = tokens.verify(token).orElseThrow(LocalRoomHub::unauthorized);
        if (!grant.chat()) {
            throw new CallChatException(ErrorKind.FORBIDDEN, "Your token does not grant chat, so you cannot share files");
        }
        return grant;
    }

    /** @return whether {@code delta} more bytes fit under the hub's cap (then they are counted) */
    private boolean reserve(long delta) {
        while (true) {
            long now = fileBytes.get();
            if (delta > 0 && now + delta > uploadLimits.maxHubBytes()) {
                return false;
            }
            if (fileBytes.compareAndSet(now, now + delta)) {
                return true;
            }
        }
    }

    /** @return whether {@code delta} more bytes fit under the identity's quota (then they are counted) */
    private boolean reserveMember(String identity, long delta) {
        boolean[] fits = {true};
        memberFileBytes.compute(identity, (who, held) -> {
            long now = held == null ? 0 : held;
            if (delta > 0 && now + delta > uploadLimits.maxMemberBytes()) {
                fits[0] = false;
                return held;
            }
            long next = now + delta;
            return next <= 0 ? null : next;
        });
        return fits[0];
    }

    private String tooLarge() {
        return "A shared file may be at most " + uploadLimits.maxFileBytes() + " bytes";
    }

    private static CallChatException unauthorized() {
        return new CallChatException(ErrorKind.UNAUTHORIZED, "Send your local token as 'Authorization: Bearer <token>'"
                + " (log in again if it expired)");
    }

    private static CallChatException notConnected() {
        return new CallChatException(ErrorKind.FORBIDDEN, "Join the room's chat before sharing a file");
    }

    /**
     * Keeps what a person would recognise, drops what could confuse a file system or a header: the same
     * rule as names ({@link VisibleText#clean}), without control characters or path separators.
     */
    static String cleanName(String name) {
        StringBuilder out = new StringBuilder();
        (name == null ? "" : name).codePoints()
                .map(c -> c == '/' || c == '\\' ? '_' : c)
                .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.SURROGATE)
                .forEach(out::appendCodePoint);
        String cleaned = VisibleText.clean(out.toString());
        cleaned = cleaned.codePoints().limit(200).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString().strip();
        while (cleaned.startsWith(".")) {
            cleaned = cleaned.substring(1);
        }
        return VisibleText.hasVisible(cleaned) ? cleaned : "file";
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
                    broadcastPresence(room, grant.identity(), frames.left(grant.identity()), false, deliveries);
                }
                boolean video = room.videoMembers() < limits.maxVideoMembers();
                connection.video(video);
                Map<String, Boolean> participants = new LinkedHashMap<>();
                room.members().forEach(m -> participants.put(m.identity(), m.video()));
                if (grant.chat()) {
                    room.startReading(grant.identity());
                }
                Room.Page history = grant.chat() ? room.page(Long.MAX_VALUE, limits.historyPageSize())
                        : new Room.Page(List.of(), false);
                deliveries.send(connection, frames.welcome(grant.identity(), room.name(), video, grant.chat(),
                        participants, history.messages(), history.more(),
                        grant.chat() ? room.readHorizon(grant.identity()) : 0, uploadLimits.maxFileBytes()));
                if (!video) {
                    deliveries.send(connection, frames.error("video_full", "This room already has "
                            + limits.maxVideoMembers() + " video participants: you joined for chat only"));
                }
                broadcastPresence(room, grant.identity(), frames.joined(grant.identity(), video), true, deliveries);
                if (room.isEmpty()) {
                    occupancy.occupied(room.name());
                }
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
                broadcastPresence(room, connection.identity(), frames.left(connection.identity()), false, deliveries);
                if (connection.video()) {
                    offerVideoSlot(room, deliveries);
                }
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

    /** Tells the others (not the typist) that a member is typing; the connection has throttled it already. */
    void typing(MemberConnection from) {
        Room room = from.room();
        Deliveries deliveries = new Deliveries();
        synchronized (room) {
            if (!room.isCurrent(from)) {
                return;
            }
            String frame = frames.typing(from.identity());
            for (MemberConnection member : room.members()) {
                if (member != from && member.grant().chat()) {
                    deliveries.send(member, frame);
                }
            }
        }
        deliveries.run();
    }

    void read(MemberConnection from, long id) {
        Room room = from.room();
        synchronized (room) {
            if (room.isCurrent(from)) {
                room.markRead(from.identity(), id);
            }
        }
    }

    /**
     * A chat-only member asks for a freed video place. First come, first served: the place may have gone
     * to someone who joined or asked first, and then the answer is {@code video_full} again.
     */
    void takeVideo(MemberConnection from) {
        Room room = from.room();
        Deliveries deliveries = new Deliveries();
        synchronized (room) {
            if (!room.isCurrent(from)) {
                return;
            }
            if (from.video()) {
                deliveries.send(from, frames.promoted());
            } else if (room.videoMembers() < limits.maxVideoMembers()) {
                from.video(true);
                deliveries.send(from, frames.promoted());
                // The others learn it as a (re)join with video, which they already handle: expect an offer.
                String joined = frames.joined(from.identity(), true);
                for (MemberConnection member : room.members()) {
                    if (member != from) {
                        deliveries.send(member, joined);
                    }
                }
            } else {
                deliveries.send(from, frames.error("video_full", "The video call is still full: you stay in the chat"));
            }
        }
        LOG.debug("'{}' asked for video in room '{}' (video={})", from.identity(), room.name(), from.video());
        deliveries.run();
    }

    /** Caller holds the room's monitor: tells every chat-only member that a video place is free. */
    private void offerVideoSlot(Room room, Deliveries deliveries) {
        if (room.videoMembers() >= limits.maxVideoMembers()) {
            return;
        }
        String frame = frames.videoSlot();
        for (MemberConnection member : room.members()) {
            if (!member.video()) {
                deliveries.send(member, frame);
            }
        }
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
    private void broadcastPresence(Room room, String identity, String frame, boolean present, Deliveries deliveries) {
        for (MemberConnection member : room.members()) {
            deliveries.presence(member, identity, frame, present);
        }
    }

    /** Caller holds the room's monitor. */
    private void removeIfEmpty(Room room) {
        if (room.isEmpty()) {
            room.markRemoved();
            // Before the room leaves the map: a room of the same name created next is announced after this.
            occupancy.vacated(room.name());
            rooms.remove(room.name(), room);
            room.files().all().forEach(f -> {
                fileRooms.remove(f.file().id(), room);
                reserveMember(f.uploader(), -f.content().length);
            });
            fileBytes.addAndGet(-room.files().bytes());
        }
    }

    /** @return how many rooms have members (for tests and diagnostics) */
    int roomCount() {
        return rooms.size();
    }

    /** @return authenticated members across all rooms; counts as of a scrape, not under any lock */
    int memberCount() {
        int members = 0;
        for (MemberConnection connection : connections) {
            if (connection.room() != null && !connection.isClosed()) {
                members++;
            }
        }
        return members;
    }

    /** @return bytes of shared files held */
    long fileBytes() {
        return fileBytes.get();
    }

    HubMeters meters() {
        return meters;
    }

    void meters(HubMeters meters) {
        this.meters = meters;
    }
}

package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomDirectory;
import dev.callchat.core.spi.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Rooms to Twilio conversations: fetch by unique name, create on 404, fetch again when a
 * concurrent creator (another instance) won. Cached per room (bounded, expiring). The first login
 * to an uncached room loads it on its own thread, under its own deadline, while concurrent ones
 * wait on its future (single-flight; no lock is held during I/O). Only successes are cached, so
 * the login after a failed load tries again.
 *
 * <p>A room only ever gets its own conversation: Twilio resolves a SID-shaped path value as a SID,
 * so a SID-shaped room name is refused and a fetched conversation whose unique name is not the
 * room's is never used (docs/twilio-limits.md, "Room names never reach another conversation").
 *
 * <p>A closed conversation (its {@code timers.closed} elapsed, or closed by hand) takes no new
 * participants and keeps its unique name, so the room could never have chat again: it is deleted
 * (by SID) and created afresh. A cached room expires no later than its conversation closes.
 *
 * <p>In-flight loads live in their own map rather than in a Caffeine {@code AsyncCache}: that one
 * logs every failed future as a warning with a stack trace, which an outage would turn into noise.
 */
final class TwilioChatroomDirectory implements ChatroomDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioChatroomDirectory.class);
    /** What Twilio reads as a conversation SID in {@code /v1/Conversations/{Sid}} (either case, to be safe). */
    private static final Pattern CONVERSATION_SID = Pattern.compile("CH[0-9a-fA-F]{32}");

    /** A loaded room and when its conversation closes (from {@code timers.date_closed}), if it will. */
    private record Loaded(Chatroom chatroom, Optional<Instant> closesAt) {
    }

    private final ConversationsApi api;
    private final Optional<String> configuredServiceSid;
    private final Duration loginDeadline;
    private final Cache<String, Loaded> rooms;
    private final ConcurrentMap<String, CompletableFuture<Chatroom>> loading = new ConcurrentHashMap<>();
    /** Conversation SID to room, for the webhooks, which name the conversation and not the room. */
    private final Cache<String, String> roomsBySid;
    private final VideoRooms video;

    TwilioChatroomDirectory(ConversationsApi api, Optional<String> configuredServiceSid, Duration loginDeadline,
                            Ticker ticker, int maxRooms, Duration expiry) {
        this(api, configuredServiceSid, loginDeadline, ticker, maxRooms, expiry, null);
    }

    /** @param video creates each room's Video room with status callbacks before its logins, or null not to */
    TwilioChatroomDirectory(ConversationsApi api, Optional<String> configuredServiceSid, Duration loginDeadline,
                            Ticker ticker, int maxRooms, Duration expiry, VideoRooms video) {
        this.video = video;
        this.roomsBySid = Caffeine.newBuilder().maximumSize(maxRooms).expireAfterAccess(expiry).ticker(ticker).build();
        this.api = api;
        this.configuredServiceSid = configuredServiceSid;
        this.loginDeadline = loginDeadline;
        long expiryNanos = expiry.toNanos();
        this.rooms = Caffeine.newBuilder()
                .maximumSize(maxRooms)
                .expireAfter(new Expiry<String, Loaded>() {
                    // The ticker reads epoch nanoseconds of the injected clock (TwilioProvider.ticker).
                    @Override
                    public long expireAfterCreate(String room, Loaded loaded, long now) {
                        long untilClosed = loaded.closesAt()
                                .map(at -> at.getEpochSecond() * 1_000_000_000L + at.getNano() - now)
                                .orElse(Long.MAX_VALUE);
                        return Math.max(0, Math.min(expiryNanos, untilClosed));
                    }

                    @Override
                    public long expireAfterUpdate(String room, Loaded loaded, long now, long remaining) {
                        return expireAfterCreate(room, loaded, now);
                    }

                    @Override
                    public long expireAfterRead(String room, Loaded loaded, long now, long remaining) {
                        return remaining;
                    }
                })
                .ticker(ticker)
                .build();
    }

    @Override
    public Chatroom findOrCreate(String roomName) {
        return findOrCreate(roomName, Deadline.after(loginDeadline));
    }

    @Override
    public Chatroom findOrCreate(String roomName, Deadline deadline) {
        if (video != null && !CONVERSATION_SID.matcher(roomName).matches()) {
            video.ensure(roomName, deadline);
        }
        Loaded cached = rooms.getIfPresent(roomName);
        if (cached != null) {
            return cached.chatroom();
        }
        CompletableFuture<Chatroom> mine = new CompletableFuture<>();
        CompletableFuture<Chatroom> inFlight = loading.putIfAbsent(roomName, mine);
        if (inFlight != null) {
            return await(roomName, inFlight, deadline);
        }
        try {
            // Another loader may have finished between our cache miss and our claim.
            Loaded loaded = rooms.getIfPresent(roomName);
            if (loaded == null) {
                loaded = load(roomName, deadline);
                rooms.put(roomName, loaded);
                roomsBySid.put(loaded.chatroom().conversationSid(), roomName);
            }
            mine.complete(loaded.chatroom());
            return loaded.chatroom();
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(roomName, mine);
        }
    }

    /**
     * The room of a conversation, for a webhook that names only the conversation: remembered from logins, else
     * looked up once by SID (its unique name is the room's).
     *
     * @return the room, or empty when the conversation is gone or not one of callchat's
     */
    Optional<String> roomOf(String conversationSid, Deadline deadline) {
        String known = roomsBySid.getIfPresent(conversationSid);
        if (known != null) {
            return Optional.of(known);
        }
        if (!CONVERSATION_SID.matcher(conversationSid).matches()) {
            return Optional.empty();
        }
        Optional<String> room = api.fetch(conversationSid, deadline).map(ConversationsApi.Found::uniqueName);
        room.ifPresent(name -> roomsBySid.put(conversationSid, name));
        return room;
    }

    @Override
    public void evict(String roomName) {
        rooms.invalidate(roomName);
    }

    private Loaded load(String roomName, Deadline deadline) {
        if (CONVERSATION_SID.matcher(roomName).matches()) {
            // The standard identity policy refuses these already; this guards a replaced one.
            throw sidShaped();
        }
        Optional<ConversationsApi.Found> found = api.fetch(roomName, deadline).map(f -> ownedBy(roomName, f));
        if (found.isPresent() && found.get().closed()) {
            LOG.info("The conversation {} of room '{}' is closed; replacing it so the room has chat again",
                    found.get().sid(), roomName);
            api.delete(found.get().sid(), deadline);
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            found = api.create(roomName, deadline);
        }
        if (found.isEmpty()) {
            // 409 "unique name exists": another instance created it between our fetch and create.
            found = api.fetch(roomName, deadline).map(f -> ownedBy(roomName, f)).filter(f -> !f.closed());
        }
        ConversationsApi.Found conversation = found.orElseThrow(() -> new CallChatException(
                ErrorKind.SERVICE_UNAVAILABLE, "Twilio said the conversation for this room both exists and does not;"
                + " try again", Duration.ofSeconds(1), null));
        return new Loaded(new Chatroom(roomName, conversation.sid(),
                configuredServiceSid.orElse(conversation.chatServiceSid())), conversation.closesAt());
    }

    /**
     * A room's conversation is the one whose unique name is the room's. Anything else (a SID lookup, a
     * conversation callchat did not create) is refused rather than joined. Case is ignored in case Twilio
     * matches unique names without it: a case variant is still a name, never a SID.
     */
    private static ConversationsApi.Found ownedBy(String roomName, ConversationsApi.Found found) {
        if (found.uniqueName() == null || !found.uniqueName().equalsIgnoreCase(roomName)) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "room '" + roomName + "' cannot be used: Twilio resolves"
                    + " it to a conversation that is not this room's; choose another room name");
        }
        return found;
    }

    private static CallChatException sidShaped() {
        return new CallChatException(ErrorKind.BAD_REQUEST, "room must not look like a Twilio SID (two letters and"
                + " 32 hexadecimal digits): Twilio would read it as the ID of another conversation or room");
    }

    /** Waits for another login's load of the same room, within this login's own deadline. */
    private static Chatroom await(String roomName, CompletableFuture<Chatroom> loading, Deadline deadline) {
        try {
            return loading.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CallChatException failure) {
                // A fresh exception for this thread, keeping what the loader saw.
                throw new CallChatException(failure.kind(), failure.detail(), failure.retryAfter().orElse(null), failure);
            }
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "The chat for room '" + roomName
                    + "' could not be set up", null, e.getCause());
        } catch (TimeoutException e) {
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Timed out waiting for the chat of room '"
                    + roomName + "' to be set up (" + ResilientCalls.human(deadline.budget()) + " login deadline)",
                    Duration.ofSeconds(1), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Interrupted while waiting for the chat of room '"
                    + roomName + "'", null, e);
        }
    }
}

package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomDirectory;
import dev.callchat.core.spi.Deadline;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rooms to Twilio conversations: fetch by unique name, create on 404, fetch again when a
 * concurrent creator (another instance) won. Cached per room (bounded, expiring). The first login
 * to an uncached room loads it on its own thread, under its own deadline, while concurrent ones
 * wait on its future (single-flight; no lock is held during I/O). Only successes are cached, so
 * the login after a failed load tries again.
 *
 * <p>In-flight loads live in their own map rather than in a Caffeine {@code AsyncCache}: that one
 * logs every failed future as a warning with a stack trace, which an outage would turn into noise.
 */
final class TwilioChatroomDirectory implements ChatroomDirectory {
    private final ConversationsApi api;
    private final Optional<String> configuredServiceSid;
    private final Duration loginDeadline;
    private final Cache<String, Chatroom> rooms;
    private final ConcurrentMap<String, CompletableFuture<Chatroom>> loading = new ConcurrentHashMap<>();

    TwilioChatroomDirectory(ConversationsApi api, Optional<String> configuredServiceSid, Duration loginDeadline,
                            Ticker ticker, int maxRooms, Duration expiry) {
        this.api = api;
        this.configuredServiceSid = configuredServiceSid;
        this.loginDeadline = loginDeadline;
        this.rooms = Caffeine.newBuilder()
                .maximumSize(maxRooms)
                .expireAfterWrite(expiry)
                .ticker(ticker)
                .build();
    }

    @Override
    public Chatroom findOrCreate(String roomName) {
        return findOrCreate(roomName, Deadline.after(loginDeadline));
    }

    @Override
    public Chatroom findOrCreate(String roomName, Deadline deadline) {
        Chatroom cached = rooms.getIfPresent(roomName);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<Chatroom> mine = new CompletableFuture<>();
        CompletableFuture<Chatroom> inFlight = loading.putIfAbsent(roomName, mine);
        if (inFlight != null) {
            return await(roomName, inFlight, deadline);
        }
        try {
            // Another loader may have finished between our cache miss and our claim.
            Chatroom chatroom = rooms.getIfPresent(roomName);
            if (chatroom == null) {
                chatroom = load(roomName, deadline);
                rooms.put(roomName, chatroom);
            }
            mine.complete(chatroom);
            return chatroom;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(roomName, mine);
        }
    }

    @Override
    public void evict(String roomName) {
        rooms.invalidate(roomName);
    }

    private Chatroom load(String roomName, Deadline deadline) {
        Optional<ConversationsApi.Found> found = api.fetch(roomName, deadline);
        if (found.isEmpty()) {
            found = api.create(roomName, deadline);
        }
        if (found.isEmpty()) {
            // 409 "unique name exists": another instance created it between our fetch and create.
            found = api.fetch(roomName, deadline);
        }
        ConversationsApi.Found conversation = found.orElseThrow(() -> new CallChatException(
                ErrorKind.SERVICE_UNAVAILABLE, "Twilio said the conversation for this room both exists and does not;"
                + " try again", Duration.ofSeconds(1), null));
        return new Chatroom(roomName, conversation.sid(), configuredServiceSid.orElse(conversation.chatServiceSid()));
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

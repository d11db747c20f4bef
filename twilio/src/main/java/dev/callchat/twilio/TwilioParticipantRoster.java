package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomGoneException;
import dev.callchat.core.spi.Deadline;
import dev.callchat.core.spi.ParticipantRoster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Adds identities to conversations, paced per conversation by a shared {@link ConversationPacer} so
 * that a crowd joining one room stays within Twilio's per-conversation rate (docs/twilio-limits.md).
 * A login whose conversation has a free slot enrolls on its own thread; otherwise its enrollment is
 * queued and the login goes on without waiting ({@link Admission#QUEUED}, chat status "pending").
 *
 * <p>Remembers completed enrollments only (bounded, expiring), so that a token refresh costs no
 * Twilio call while an enrollment lost in a queue (the instance stopped) is redone by the next login.
 * "Already a participant" (409, 50433) is success, which keeps redoing harmless. A participant taken out of a
 * conversation ({@link #left}: a host's removal, or Twilio's {@code onParticipantRemoved}) is forgotten at once, so
 * their next login enrolls them again.
 *
 * <p>A conversation Twilio called full (1,000 participants, 50417) is remembered for {@link #FULL_MEMORY}: logins to
 * it go on without chat and without asking Twilio, which would spend one of the conversation's 30 actions a second on
 * every such login. A participant leaving forgets it at once; without room events, the next ask after the memory
 * expires finds out (docs/twilio-limits.md).
 */
final class TwilioParticipantRoster implements ParticipantRoster {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioParticipantRoster.class);
    /** How long a conversation Twilio called full is taken as full without asking again. */
    static final Duration FULL_MEMORY = Duration.ofMinutes(1);

    private final ConversationsApi api;
    private final Duration loginDeadline;
    private final Cache<Enrolled, Boolean> recent;
    private final ConversationPacer pacer;
    private final Consumer<Chatroom> gone;
    /** Enrollments waiting in (or running from) the pacer's queue: a second login of the same user joins the first. */
    private final Set<Enrolled> queued = ConcurrentHashMap.newKeySet();
    /** Conversation SIDs Twilio called full (50417). */
    private final Cache<String, Boolean> full;

    /** Keyed by conversation SID: a recreated conversation needs everyone enrolled again. */
    private record Enrolled(String conversationSid, String identity) {
    }

    /**
     * @param gone told when a queued enrollment finds its conversation deleted, so the room is looked up afresh
     */
    TwilioParticipantRoster(ConversationsApi api, Duration loginDeadline, Ticker ticker, int maxEntries,
                            Duration expiry, ConversationPacer pacer, Consumer<Chatroom> gone) {
        this.api = api;
        this.loginDeadline = loginDeadline;
        this.pacer = pacer;
        this.gone = gone;
        this.recent = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(expiry)
                .ticker(ticker)
                .build();
        this.full = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(FULL_MEMORY)
                .ticker(ticker)
                .build();
    }

    /**
     * The identity is no longer a participant of the conversation: its next login enrolls it again, and the
     * conversation has room for one more.
     *
     * @param conversationSid the conversation
     * @param identity        who left it
     */
    void left(String conversationSid, String identity) {
        recent.invalidate(new Enrolled(conversationSid, identity));
        full.invalidate(conversationSid);
    }

    @Override
    public void enroll(Chatroom chatroom, String identity) {
        enroll(chatroom, identity, Deadline.after(loginDeadline));
    }

    /** Enrolls now, whatever the pacer says (the SPI's synchronous form; logins use {@link #admit}). */
    @Override
    public void enroll(Chatroom chatroom, String identity, Deadline deadline) {
        Enrolled key = new Enrolled(chatroom.conversationSid(), identity);
        if (recent.getIfPresent(key) != null) {
            return;
        }
        ConversationsApi.Enrollment result = api.addParticipant(chatroom.conversationSid(), identity, deadline);
        pacer.record(chatroom.conversationSid(), outcome(result));
        switch (result) {
            case ADDED, ALREADY_PRESENT -> recent.put(key, Boolean.TRUE);
            case CONVERSATION_GONE -> throw new ChatroomGoneException(chatroom);
            case THROTTLED -> throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE,
                    "Twilio is pacing additions to this chat; try again in a moment", Duration.ofSeconds(1), null);
            case FULL -> {
                full.put(chatroom.conversationSid(), Boolean.TRUE);
                throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "The chat of this room is full");
            }
        }
    }

    @Override
    public Admission admit(Chatroom chatroom, String identity, Deadline deadline) {
        Enrolled key = new Enrolled(chatroom.conversationSid(), identity);
        if (recent.getIfPresent(key) != null) {
            return Admission.ENROLLED;
        }
        if (queued.contains(key)) {
            return Admission.QUEUED;
        }
        if (full.getIfPresent(chatroom.conversationSid()) != null) {
            return Admission.FULL;
        }
        if (!pacer.tryAcquire(chatroom.conversationSid())) {
            return queue(chatroom, identity, key, false);
        }
        ConversationsApi.Enrollment result = api.addParticipant(chatroom.conversationSid(), identity, deadline);
        pacer.record(chatroom.conversationSid(), outcome(result));
        return switch (result) {
            case ADDED, ALREADY_PRESENT -> {
                recent.put(key, Boolean.TRUE);
                yield Admission.ENROLLED;
            }
            case CONVERSATION_GONE -> throw new ChatroomGoneException(chatroom);
            case FULL -> {
                full.put(chatroom.conversationSid(), Boolean.TRUE);
                yield Admission.FULL;
            }
            // Another instance is using the conversation's rate: wait for our turn, first in line.
            case THROTTLED -> queue(chatroom, identity, key, true);
        };
    }

    private Admission queue(Chatroom chatroom, String identity, Enrolled key, boolean first) {
        if (!queued.add(key)) {
            return Admission.QUEUED;
        }
        if (!pacer.enqueue(chatroom.conversationSid(), () -> enrollQueued(chatroom, identity, key), first)) {
            queued.remove(key);
            throw new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Too many chat enrollments are waiting for "
                    + "Twilio; try again shortly", Duration.ofSeconds(5), null);
        }
        return Admission.QUEUED;
    }

    /** A worker thread, at the conversation's next slot. */
    private ConversationPacer.Outcome enrollQueued(Chatroom chatroom, String identity, Enrolled key) {
        ConversationsApi.Enrollment result;
        try {
            result = api.addParticipant(chatroom.conversationSid(), identity, Deadline.after(loginDeadline));
        } catch (CallChatException e) {
            // Twilio is down or refused: the user keeps video, and their next login tries again.
            queued.remove(key);
            LOG.debug("Queued chat enrollment in {} failed: {}", chatroom.conversationSid(), e.detail());
            return ConversationPacer.Outcome.DONE;
        }
        switch (result) {
            case ADDED, ALREADY_PRESENT -> recent.put(key, Boolean.TRUE);
            case CONVERSATION_GONE -> gone.accept(chatroom);
            case FULL -> full.put(chatroom.conversationSid(), Boolean.TRUE);
            case THROTTLED -> {
                return ConversationPacer.Outcome.THROTTLED;
            }
        }
        queued.remove(key);
        return ConversationPacer.Outcome.DONE;
    }

    private static ConversationPacer.Outcome outcome(ConversationsApi.Enrollment result) {
        return result == ConversationsApi.Enrollment.THROTTLED ? ConversationPacer.Outcome.THROTTLED
                : ConversationPacer.Outcome.DONE;
    }
}

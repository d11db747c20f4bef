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
 * "Already a participant" (409, 50433) is success, which keeps redoing harmless.
 */
final class TwilioParticipantRoster implements ParticipantRoster {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioParticipantRoster.class);

    private final ConversationsApi api;
    private final Duration loginDeadline;
    private final Cache<Enrolled, Boolean> recent;
    private final ConversationPacer pacer;
    private final Consumer<Chatroom> gone;
    /** Enrollments waiting in (or running from) the pacer's queue: a second login of the same user joins the first. */
    private final Set<Enrolled> queued = ConcurrentHashMap.newKeySet();

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

package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomGoneException;
import dev.callchat.core.spi.Deadline;
import dev.callchat.core.spi.ParticipantRoster;

import java.time.Duration;

/**
 * Adds identities to conversations. Remembers recent enrollments (bounded, expiring) so that a
 * token refresh costs no Twilio call; "already a participant" (409, 50433) is success.
 */
final class TwilioParticipantRoster implements ParticipantRoster {
    private final ConversationsApi api;
    private final Duration loginDeadline;
    private final Cache<Enrolled, Boolean> recent;

    /** Keyed by conversation SID: a recreated conversation needs everyone enrolled again. */
    private record Enrolled(String conversationSid, String identity) {
    }

    TwilioParticipantRoster(ConversationsApi api, Duration loginDeadline, Ticker ticker, int maxEntries,
                            Duration expiry) {
        this.api = api;
        this.loginDeadline = loginDeadline;
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

    @Override
    public void enroll(Chatroom chatroom, String identity, Deadline deadline) {
        Enrolled key = new Enrolled(chatroom.conversationSid(), identity);
        if (recent.getIfPresent(key) != null) {
            return;
        }
        switch (api.addParticipant(chatroom.conversationSid(), identity, deadline)) {
            case ADDED, ALREADY_PRESENT -> recent.put(key, Boolean.TRUE);
            case CONVERSATION_GONE -> throw new ChatroomGoneException(chatroom);
        }
    }
}

package dev.callchat.twilio;

import com.twilio.rest.video.v1.Room;
import com.twilio.rest.video.v1.room.Participant;
import dev.callchat.core.spi.Deadline;
import dev.callchat.core.spi.RoomControl;
import dev.callchat.core.spi.RoomSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Carries a host's decisions out on Twilio, through twilio-java's generated resources: remove = the Video
 * participant's {@code Status=disconnected} plus deleting the Conversations participant; end = the Video room's
 * {@code Status=completed} (docs/twilio-limits.md#moderation). Best effort: core has already recorded the
 * decision (a ban keeps refusing logins whatever Twilio answers), so a failure here is logged, not thrown.
 */
final class TwilioRoomControl implements RoomControl {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioRoomControl.class);

    private final ResilientCalls calls;
    private final ResilientCalls videoCalls;
    private final TwilioChatroomDirectory directory;
    private final Optional<String> serviceSid;
    private final Duration budget;
    private final BiConsumer<String, String> left;
    private volatile RoomSignals signals = RoomSignals.NONE;

    /**
     * @param calls      Conversations calls
     * @param videoCalls Video calls, behind a breaker of their own
     * @param left       told (conversation SID, identity) when a participant is out of a conversation, by a removal here or
     *                   by Twilio's {@code onParticipantRemoved}: the roster then forgets that it enrolled them
     */
    TwilioRoomControl(ResilientCalls calls, ResilientCalls videoCalls, TwilioChatroomDirectory directory,
                      Optional<String> serviceSid, Duration budget, BiConsumer<String, String> left) {
        this.left = left;
        this.calls = calls;
        this.videoCalls = videoCalls;
        this.directory = directory;
        this.serviceSid = serviceSid;
        this.budget = budget;
    }

    @Override
    public void bind(RoomSignals signals) {
        this.signals = signals;
    }

    /**
     * The identity is no longer a participant of the conversation (Twilio's {@code onParticipantRemoved}).
     *
     * @param conversationSid the conversation
     * @param identity        who left it
     */
    void participantLeft(String conversationSid, String identity) {
        left.accept(conversationSid, identity);
    }

    /** @return where Twilio's callbacks report to: core's, once the service is built */
    RoomSignals signals() {
        return signals;
    }

    @Override
    public void remove(String room, String identity, RoomSignals.Refusal reason, String detail) {
        Deadline deadline = Deadline.after(budget);
        String roomPath = ConversationsApi.pathSegment(room);
        String identityPath = ConversationsApi.pathSegment(identity);
        notFoundIsDone(videoCalls, "disconnect the video participant", deadline, client -> Participant.updater(roomPath, identityPath)
                .setStatus(Participant.Status.DISCONNECTED).update(client));
        // Cached since the member's login: normally no call.
        Optional<String> conversation;
        try {
            conversation = Optional.of(directory.findOrCreate(room, deadline).conversationSid());
        } catch (RuntimeException e) {
            LOG.warn("Could not find the chat of room '{}' to remove '{}' from it ({})", room, identity, e.getMessage());
            conversation = Optional.empty();
        }
        conversation.ifPresent(sid -> {
            removeChatParticipant(sid, identityPath, deadline);
            // Even if Twilio's answer was lost: enrolling again is harmless ("already a participant" is success).
            left.accept(sid, identity);
        });
    }

    private void removeChatParticipant(String sid, String identityPath, Deadline deadline) {
        notFoundIsDone(calls, "remove the chat participant", deadline, client -> {
            // Delete takes the participant's SID; fetch accepts the identity in its place.
            String participant = serviceSid
                    .map(is -> com.twilio.rest.conversations.v1.service.conversation.Participant
                            .fetcher(is, sid, identityPath).fetch(client).getSid())
                    .orElseGet(() -> com.twilio.rest.conversations.v1.conversation.Participant
                            .fetcher(sid, identityPath).fetch(client).getSid());
            return serviceSid
                    .map(is -> com.twilio.rest.conversations.v1.service.conversation.Participant
                            .deleter(is, sid, participant).delete(client))
                    .orElseGet(() -> com.twilio.rest.conversations.v1.conversation.Participant
                            .deleter(sid, participant).delete(client));
        });
    }

    @Override
    public void end(String room) {
        notFoundIsDone(videoCalls, "complete the video room", Deadline.after(budget), client ->
                Room.updater(ConversationsApi.pathSegment(room), Room.RoomStatus.COMPLETED).update(client));
    }

    /** A 404 means there is nothing left to do (not connected, no room in progress); other failures are logged. */
    private static void notFoundIsDone(ResilientCalls api, String what, Deadline deadline,
                                       java.util.function.Function<com.twilio.http.TwilioRestClient, ?> op) {
        try {
            api.call(what, deadline, op);
        } catch (UpstreamFailure.Answer answer) {
            if (answer.status() != 404) {
                LOG.warn("Twilio refused to {} ({}); the decision stands in callchat", what, answer.status());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not {} on Twilio ({}); the decision stands in callchat", what, e.getMessage());
        }
    }
}

package dev.callchat.twilio;

import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.conversations.v1.conversation.Participant;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.spi.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The three Conversations REST calls a login needs, through twilio-java's generated resources:
 * fetch a conversation by unique name, create one, add a participant. With a configured
 * Conversations service SID the service-scoped endpoints ({@code /v1/Services/IS…/Conversations})
 * are used, otherwise the account's default service. Never lists conversations.
 */
final class ConversationsApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationsApi.class);
    /** Twilio: "Conversation with provided unique name already exists". */
    static final int UNIQUE_NAME_EXISTS = 50353;
    /** Twilio: "Participant already exists". */
    static final int PARTICIPANT_EXISTS = 50433;

    /** A conversation as far as callchat cares. */
    record Found(String sid, String chatServiceSid) {
    }

    /** How adding a participant ended. */
    enum Enrollment { ADDED, ALREADY_PRESENT, CONVERSATION_GONE }

    private final ResilientCalls calls;
    private final Optional<String> serviceSid;
    private final Set<String> loggedRefusals = ConcurrentHashMap.newKeySet();

    ConversationsApi(ResilientCalls calls, Optional<String> serviceSid) {
        this.calls = calls;
        this.serviceSid = serviceSid;
    }

    /** @return the conversation whose unique name is {@code uniqueName}, or empty on 404 */
    Optional<Found> fetch(String uniqueName, Deadline deadline) {
        // The generated fetcher puts the SID-or-unique-name into the path as is: encode it ourselves.
        String pathName = pathSegment(uniqueName);
        try {
            return Optional.of(calls.call("look up the conversation", deadline, client -> serviceSid
                    .map(is -> found(com.twilio.rest.conversations.v1.service.Conversation.fetcher(is, pathName)
                            .fetch(client)))
                    .orElseGet(() -> found(Conversation.fetcher(pathName).fetch(client)))));
        } catch (UpstreamFailure.Answer answer) {
            if (answer.status() == 404) {
                return Optional.empty();
            }
            throw refused("look up the conversation", answer);
        }
    }

    /** @return the created conversation, or empty when the unique name exists (someone else created it) */
    Optional<Found> create(String uniqueName, Deadline deadline) {
        try {
            return Optional.of(calls.call("create the conversation", deadline, client -> serviceSid
                    .map(is -> found(com.twilio.rest.conversations.v1.service.Conversation.creator(is)
                            .setUniqueName(uniqueName).setFriendlyName(uniqueName).create(client)))
                    .orElseGet(() -> found(Conversation.creator()
                            .setUniqueName(uniqueName).setFriendlyName(uniqueName).create(client)))));
        } catch (UpstreamFailure.Answer answer) {
            if (answer.is(409, UNIQUE_NAME_EXISTS)) {
                return Optional.empty();
            }
            throw refused("create the conversation", answer);
        }
    }

    /** Adds {@code identity} to the conversation; "already a participant" counts as success. */
    Enrollment addParticipant(String conversationSid, String identity, Deadline deadline) {
        try {
            calls.call("add the participant", deadline, client -> serviceSid
                    .map(is -> com.twilio.rest.conversations.v1.service.conversation.Participant
                            .creator(is, conversationSid).setIdentity(identity).create(client).getSid())
                    .orElseGet(() -> Participant.creator(conversationSid).setIdentity(identity).create(client).getSid()));
            return Enrollment.ADDED;
        } catch (UpstreamFailure.Answer answer) {
            if (answer.is(409, PARTICIPANT_EXISTS)) {
                return Enrollment.ALREADY_PRESENT;
            }
            if (answer.status() == 404) {
                return Enrollment.CONVERSATION_GONE;
            }
            throw refused("add the participant", answer);
        }
    }

    /**
     * Any other 4xx: Twilio understood us and said no (a name it does not accept, a feature not enabled).
     * Not retryable and not an outage, but chat cannot be set up: the login degrades to video-only
     * unless chat is required. Logged once per distinct answer, not per login.
     */
    private CallChatException refused(String what, UpstreamFailure.Answer answer) {
        if (loggedRefusals.add(what + "/" + answer.status() + "/" + answer.code())) {
            LOG.warn("Twilio refused to {}: {}", what, answer.getMessage());
        }
        return new CallChatException(ErrorKind.SERVICE_UNAVAILABLE, "Twilio refused to " + what + " (HTTP "
                + answer.status() + (answer.code() == null ? "" : ", Twilio error " + answer.code()) + ")", null, answer);
    }

    private Found found(Conversation c) {
        return new Found(c.getSid(), c.getChatServiceSid());
    }

    private Found found(com.twilio.rest.conversations.v1.service.Conversation c) {
        return new Found(c.getSid(), c.getChatServiceSid());
    }

    /** RFC 3986 path-segment encoding (URLEncoder is form encoding: fix its '+' for spaces). */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

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
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Conversations REST calls a login needs, through twilio-java's generated resources: fetch a
 * conversation by unique name, create one (with {@code timers.closed} set to the chat retention),
 * add a participant, and delete a closed one so its room can have chat again. With a configured
 * Conversations service SID the service-scoped endpoints ({@code /v1/Services/IS…/Conversations})
 * are used, otherwise the account's default service. Never lists conversations.
 */
final class ConversationsApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationsApi.class);
    /** Twilio: "Conversation with provided unique name already exists". */
    static final int UNIQUE_NAME_EXISTS = 50353;
    /** Twilio: "Participant already exists". */
    static final int PARTICIPANT_EXISTS = 50433;
    /** Twilio: "Conflicting conversation modification" (a create and a delete of one unique name crossed). */
    static final int CONFLICTING_MODIFICATION = 50391;
    /** Twilio: "Can't update conversation as it's in final closed state". */
    static final int CONVERSATION_CLOSED = 50377;
    /**
     * Twilio: "Participants limit exceeded", at 1,000 participants per conversation
     * (https://www.twilio.com/docs/conversations/conversations-limits#participants-per-conversation).
     */
    static final int PARTICIPANTS_LIMIT = 50417;

    /**
     * A conversation as far as callchat cares.
     *
     * @param uniqueName its unique name, null when it has none
     * @param closed     whether its state is {@code closed} (it takes no new participants)
     * @param closesAt   when its {@code timers.closed} will close it, if set
     */
    record Found(String sid, String chatServiceSid, String uniqueName, boolean closed, Optional<Instant> closesAt) {
    }

    /** How adding a participant ended. */
    enum Enrollment { ADDED, ALREADY_PRESENT, CONVERSATION_GONE, THROTTLED, FULL }

    private final ResilientCalls calls;
    private final Optional<String> serviceSid;
    private final String retention;
    private final Set<String> loggedRefusals = ConcurrentHashMap.newKeySet();
    private final Optional<String> webhookUrl;

    /**
     * The post-event webhooks a room's conversation reports to callchat: what {@code RoomEvents} follow from chat
     * (https://www.twilio.com/docs/conversations/conversations-webhooks).
     */
    static final List<String> WEBHOOK_FILTERS = List.of("onMessageAdded", "onParticipantAdded", "onParticipantRemoved");

    /**
     * @param retention the {@code timers.closed} of every conversation callchat creates (see docs/twilio-limits.md)
     */
    ConversationsApi(ResilientCalls calls, Optional<String> serviceSid, Duration retention) {
        this(calls, serviceSid, retention, Optional.empty());
    }

    /**
     * @param retention  the {@code timers.closed} of every conversation callchat creates (see docs/twilio-limits.md)
     * @param webhookUrl where each conversation callchat creates sends its post-event webhooks, if anywhere
     */
    ConversationsApi(ResilientCalls calls, Optional<String> serviceSid, Duration retention, Optional<String> webhookUrl) {
        this.calls = calls;
        this.serviceSid = serviceSid;
        this.retention = retention.toString();
        this.webhookUrl = webhookUrl;
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

    /**
     * Creates the room's conversation, closing itself after the retention: Twilio wants a {@code State}
     * beside timers on create (error 50382), so it is sent as {@code active}, the default.
     *
     * @return the created conversation, or empty when the unique name exists (someone else created it)
     */
    Optional<Found> create(String uniqueName, Deadline deadline) {
        Optional<Found> created = createConversation(uniqueName, deadline);
        created.ifPresent(found -> webhookUrl.ifPresent(url -> addWebhook(found.sid(), url, deadline)));
        return created;
    }

    /**
     * Attaches a conversation-scoped webhook to a conversation callchat just created: "Only post-event webhooks are
     * supported" there, and a conversation takes at most five
     * (https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource). One more call per
     * conversation, made once, before anyone is enrolled in it (docs/twilio-limits.md#room-events). Best effort: a
     * failure costs the room its chat events until its conversation is replaced, not the login its chat.
     */
    private void addWebhook(String conversationSid, String url, Deadline deadline) {
        try {
            calls.call("attach the events webhook", deadline, client -> serviceSid
                    .map(is -> com.twilio.rest.conversations.v1.service.conversation.Webhook.creator(is, conversationSid,
                                    com.twilio.rest.conversations.v1.service.conversation.Webhook.Target.WEBHOOK)
                            .setConfigurationUrl(url)
                            .setConfigurationMethod(com.twilio.rest.conversations.v1.service.conversation.Webhook.Method.POST)
                            .setConfigurationFilters(WEBHOOK_FILTERS).create(client).getSid())
                    .orElseGet(() -> com.twilio.rest.conversations.v1.conversation.Webhook.creator(conversationSid,
                                    com.twilio.rest.conversations.v1.conversation.Webhook.Target.WEBHOOK)
                            .setConfigurationUrl(url)
                            .setConfigurationMethod(com.twilio.rest.conversations.v1.conversation.Webhook.Method.POST)
                            .setConfigurationFilters(WEBHOOK_FILTERS).create(client).getSid()));
        } catch (RuntimeException e) {
            if (loggedRefusals.add("webhook/" + e.getClass().getSimpleName())) {
                LOG.warn("Could not attach the events webhook to conversation {} ({}); its room reports no chat events"
                        + " until the conversation is replaced", conversationSid, e.getMessage());
            }
        }
    }

    private Optional<Found> createConversation(String uniqueName, Deadline deadline) {
        try {
            return Optional.of(calls.call("create the conversation", deadline, client -> serviceSid
                    .map(is -> found(com.twilio.rest.conversations.v1.service.Conversation.creator(is)
                            .setUniqueName(uniqueName).setFriendlyName(uniqueName)
                            .setState(com.twilio.rest.conversations.v1.service.Conversation.State.ACTIVE)
                            .setTimersClosed(retention).create(client)))
                    .orElseGet(() -> found(Conversation.creator()
                            .setUniqueName(uniqueName).setFriendlyName(uniqueName)
                            .setState(Conversation.State.ACTIVE)
                            .setTimersClosed(retention).create(client)))));
        } catch (UpstreamFailure.Answer answer) {
            // 50391: a delete of the closed predecessor and our create crossed; the caller looks again.
            if (answer.is(409, UNIQUE_NAME_EXISTS) || (answer.code() != null && answer.code() == CONFLICTING_MODIFICATION)) {
                return Optional.empty();
            }
            throw refused("create the conversation", answer);
        }
    }

    /**
     * Deletes a closed conversation by SID (never by unique name: that could hit a successor another
     * instance just created). Already gone (404) is success.
     */
    void delete(String conversationSid, Deadline deadline) {
        try {
            calls.call("delete the closed conversation", deadline, client -> serviceSid
                    .map(is -> com.twilio.rest.conversations.v1.service.Conversation.deleter(is, conversationSid)
                            .delete(client))
                    .orElseGet(() -> Conversation.deleter(conversationSid).delete(client)));
        } catch (UpstreamFailure.Answer answer) {
            if (answer.status() != 404) {
                throw refused("delete the closed conversation", answer);
            }
        }
    }

    /**
     * Adds {@code identity} to the conversation; "already a participant" counts as success. A 429 is
     * not retried: it comes back as {@link Enrollment#THROTTLED} for the caller's pacer.
     */
    Enrollment addParticipant(String conversationSid, String identity, Deadline deadline) {
        try {
            // Paced: a 429 goes back to the roster's pacer rather than into a retry loop of its own.
            calls.callPaced("add the participant", deadline, client -> serviceSid
                    .map(is -> com.twilio.rest.conversations.v1.service.conversation.Participant
                            .creator(is, conversationSid).setIdentity(identity).create(client).getSid())
                    .orElseGet(() -> Participant.creator(conversationSid).setIdentity(identity).create(client).getSid()));
            return Enrollment.ADDED;
        } catch (UpstreamFailure.Throttled throttled) {
            return Enrollment.THROTTLED;
        } catch (UpstreamFailure.Answer answer) {
            if (answer.is(409, PARTICIPANT_EXISTS)) {
                return Enrollment.ALREADY_PRESENT;
            }
            if (answer.is(400, PARTICIPANTS_LIMIT)) {
                return Enrollment.FULL;
            }
            // Deleted, or closed since we cached it (50377): either way the room needs its conversation again.
            if (answer.status() == 404 || (answer.code() != null && answer.code() == CONVERSATION_CLOSED)) {
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
        return new Found(c.getSid(), c.getChatServiceSid(), c.getUniqueName(), c.getState() == Conversation.State.CLOSED,
                dateClosed(c.getTimers()));
    }

    private Found found(com.twilio.rest.conversations.v1.service.Conversation c) {
        return new Found(c.getSid(), c.getChatServiceSid(), c.getUniqueName(),
                c.getState() == com.twilio.rest.conversations.v1.service.Conversation.State.CLOSED,
                dateClosed(c.getTimers()));
    }

    /** {@code timers} is {@code {"date_inactive": …, "date_closed": …}}, or empty without timers. */
    private static Optional<Instant> dateClosed(Object timers) {
        if (timers instanceof Map<?, ?> map && map.get("date_closed") instanceof String date) {
            try {
                return Optional.of(Instant.parse(date));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** RFC 3986 path-segment encoding (URLEncoder is form encoding: fix its '+' for spaces). */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.twilio.security.RequestValidator;
import dev.callchat.core.spi.Deadline;
import dev.callchat.core.spi.ProviderCallbacks;
import dev.callchat.core.spi.RoomSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Twilio's Video status callbacks and Conversations post-event webhooks, turned into {@link RoomSignals}
 * (docs/twilio-limits.md#room-events).
 *
 * <ul>
 * <li><b>Signature.</b> "Twilio signs all HTTP requests to your app with an {@code X-Twilio-Signature} HTTP header",
 *     an HMAC-SHA1 over the URL Twilio called and the sorted parameters, keyed with the account's Auth Token
 *     (https://www.twilio.com/docs/usage/webhooks/webhooks-security). twilio-java's {@link RequestValidator} checks it
 *     against the configured public URL, never the {@code Host} this server saw.</li>
 * <li><b>Replays.</b> Twilio retries a webhook it got no answer to, and a recorded request can be replayed: each
 *     callback is acted on once. The key is Twilio's {@code I-Twilio-Idempotency-Token} header, the same on every retry
 *     (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides), else the event's own identity:
 *     {@code RoomSid} + {@code SequenceNumber} for Video ("the order in which the events were fired",
 *     https://www.twilio.com/docs/video/api/status-callbacks), {@code EventType} + {@code MessageSid} or
 *     {@code ParticipantSid} for Conversations (https://www.twilio.com/docs/conversations/conversations-webhooks).
 *     Keys are remembered in a bounded cache on the injected clock, for {@link #REMEMBER}.</li>
 * <li><b>Bans.</b> A {@code participant-connected} of an identity that core refuses (banned, removed, the room ended
 *     or locked against it) is removed again at once, off the callback's thread: a Twilio token cannot be revoked,
 *     so this is how a ban reaches a member who reconnects with a token that is still valid.</li>
 * </ul>
 */
final class TwilioCallbacks implements ProviderCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioCallbacks.class);
    /** How long a callback's key is remembered: longer than Twilio's retries of one callback take. */
    static final Duration REMEMBER = Duration.ofHours(1);
    static final int MAX_REMEMBERED = 100_000;
    /** Conversations webhooks time out after 5 s (conversations-webhooks page): a room lookup gets less. */
    private static final Duration LOOKUP_BUDGET = Duration.ofSeconds(3);

    private final RequestValidator validator;
    private final Cache<String, Boolean> seen;
    private final Supplier<RoomSignals> signals;
    private final TwilioRoomControl control;
    private final TwilioChatroomDirectory directory;
    private final VideoRooms video;
    private final Executor removals;
    private final Clock clock;

    TwilioCallbacks(String authToken, Ticker ticker, Clock clock, TwilioRoomControl control,
                    TwilioChatroomDirectory directory, VideoRooms video, Executor removals) {
        this.validator = new RequestValidator(authToken);
        this.seen = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).expireAfterWrite(REMEMBER).ticker(ticker).build();
        this.signals = control::signals;
        this.control = control;
        this.directory = directory;
        this.video = video;
        this.removals = removals;
        this.clock = clock;
    }

    @Override
    public Verdict receive(Callback callback) {
        Optional<String> signature = callback.header().apply("X-Twilio-Signature").filter(s -> !s.isBlank());
        if (signature.isEmpty()) {
            return Verdict.UNSIGNED;
        }
        if (!validator.validate(callback.url(), callback.params(), signature.get())) {
            return Verdict.BAD_SIGNATURE;
        }
        Map<String, String> params = callback.params();
        // Both keys are remembered: a retry repeats the token, and a replay stripped of it still repeats the event.
        String natural = naturalKey(params);
        Optional<String> token = callback.header().apply("I-Twilio-Idempotency-Token").filter(t -> !t.isBlank())
                .map(t -> "token:" + t);
        boolean tokenSeen = token.map(t -> seen.asMap().putIfAbsent(t, Boolean.TRUE) != null).orElse(false);
        boolean eventSeen = seen.asMap().putIfAbsent(natural, Boolean.TRUE) != null;
        if (tokenSeen || eventSeen) {
            return Verdict.DUPLICATE;
        }
        try {
            if (params.containsKey("StatusCallbackEvent")) {
                video(params);
            } else if (params.containsKey("EventType")) {
                chat(params);
            }
            return Verdict.ACCEPTED;
        } catch (RuntimeException e) {
            // Not handled: let Twilio's retry (same keys) be acted on.
            seen.invalidate(natural);
            token.ifPresent(seen::invalidate);
            throw e;
        }
    }

    private void video(Map<String, String> p) {
        String room = p.get("RoomName");
        if (room == null) {
            return;
        }
        String identity = p.get("ParticipantIdentity");
        switch (p.get("StatusCallbackEvent")) {
            case "participant-connected" -> {
                if (identity == null) {
                    return;
                }
                RoomSignals.Refusal refusal = signals.get().refusal(room, identity);
                if (refusal == null) {
                    signals.get().joined(room, identity);
                    return;
                }
                RoomSignals.Refusal reason = refusal == RoomSignals.Refusal.BANNED ? RoomSignals.Refusal.BANNED
                        : RoomSignals.Refusal.REMOVED;
                LOG.info("'{}' connected to the video of room '{}' while refused ({}); removing them again", identity, room,
                        refusal);
                try {
                    removals.execute(() -> control.remove(room, identity, reason, "refused: " + refusal.name()
                            .toLowerCase(java.util.Locale.ROOT)));
                } catch (RejectedExecutionException e) {
                    LOG.warn("Could not remove '{}' from room '{}' again: shutting down", identity, room);
                }
            }
            case "participant-disconnected" -> {
                if (identity != null) {
                    signals.get().left(room, identity);
                }
            }
            case "room-ended" -> {
                video.ended(room);
                signals.get().ended(room);
            }
            default -> {
                // room-created, track-*, recording-*: nothing callchat reports.
            }
        }
    }

    private void chat(Map<String, String> p) {
        String conversation = p.get("ConversationSid");
        if (conversation == null) {
            return;
        }
        Optional<String> found = directory.roomOf(conversation, Deadline.after(LOOKUP_BUDGET));
        if (found.isEmpty()) {
            return;
        }
        String room = found.get();
        switch (p.get("EventType")) {
            case "onMessageAdded" -> {
                String message = p.get("MessageSid");
                String author = p.get("Author");
                if (message != null && author != null) {
                    signals.get().messageAdded(room, message, author, instant(p.get("DateCreated")),
                            p.getOrDefault("Body", ""));
                }
            }
            case "onParticipantAdded" -> {
                if (p.get("Identity") != null) {
                    signals.get().chatJoined(room, p.get("Identity"));
                }
            }
            case "onParticipantRemoved" -> {
                if (p.get("Identity") != null) {
                    control.participantLeft(conversation, p.get("Identity"));
                    signals.get().chatLeft(room, p.get("Identity"));
                }
            }
            default -> {
                // Filters are set to these three; anything else was configured by someone else.
            }
        }
    }

    private Instant instant(String value) {
        if (value != null) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                // Fall through to when callchat heard of it.
            }
        }
        return clock.instant();
    }

    /** The event's own identity, for callbacks without an idempotency token. */
    private static String naturalKey(Map<String, String> p) {
        if (p.containsKey("RoomSid") && p.containsKey("SequenceNumber")) {
            return "video:" + p.get("RoomSid") + ":" + p.get("SequenceNumber");
        }
        if (p.containsKey("EventType")) {
            String subject = p.getOrDefault("MessageSid", p.get("ParticipantSid"));
            if (subject != null) {
                return "chat:" + p.get("EventType") + ":" + p.get("ConversationSid") + ":" + subject;
            }
        }
        // Signed but of no known shape: a digest of all of it (a replay repeats every parameter), bounded in size.
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            new TreeMap<>(p).forEach((name, value) -> {
                sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return "params:" + java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.twilio.http.HttpMethod;
import com.twilio.rest.video.v1.Room;
import dev.callchat.core.spi.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates a room's Video room over REST before its members connect, so that Twilio sends the room's status
 * callbacks to callchat: "Configure a {@code StatusCallback} URL when creating a Room using the REST API"; the
 * events "are dispatched to webhook URL specified at Room creation" (https://www.twilio.com/docs/video/api/status-callbacks).
 * A room that twilio-video creates ad hoc, when the first browser connects, has none. So the first login of a room
 * creates it as a Group room with {@code StatusCallback}; a room of that name already in progress answers 53113
 * (https://www.twilio.com/docs/api/errors/53113), which is success (it was created by an earlier login, another
 * instance, or ad hoc before room events were configured: then it reports nothing until it ends).
 *
 * <p>Best effort and bounded: a failure is logged once and the login goes on (the browser then creates the room ad
 * hoc). A room is remembered for {@link #REMEMBER} or until its {@code room-ended} callback, so logins cost at most
 * one Video call per room and minute per instance (docs/twilio-limits.md#room-events).
 */
final class VideoRooms {
    private static final Logger LOG = LoggerFactory.getLogger(VideoRooms.class);
    /** Twilio: "Room exists" / room creation failed because the unique name is in use by an in-progress room. */
    static final int ROOM_EXISTS = 53113;
    /**
     * How long a room is taken to be in progress without asking again. Short: a Video room ends 5 minutes after its
     * last member left ("empty room timeout", same page), and a missed {@code room-ended} must not leave the next
     * call without callbacks for long.
     */
    static final Duration REMEMBER = Duration.ofMinutes(1);

    private final ResilientCalls calls;
    private final String statusCallback;
    private final Cache<String, Boolean> inProgress;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    VideoRooms(ResilientCalls calls, String statusCallback, Ticker ticker, int maxRooms) {
        this.calls = calls;
        this.statusCallback = statusCallback;
        this.inProgress = Caffeine.newBuilder().maximumSize(maxRooms).expireAfterWrite(REMEMBER).ticker(ticker).build();
    }

    /** Creates the room's Video room with the status callback unless it is known to be in progress. Never throws. */
    void ensure(String room, Deadline deadline) {
        if (inProgress.getIfPresent(room) != null) {
            return;
        }
        try {
            calls.call("create the video room", deadline, client -> Room.creator()
                    .setUniqueName(room)
                    .setType(Room.RoomType.GROUP)
                    .setStatusCallback(statusCallback)
                    .setStatusCallbackMethod(HttpMethod.POST)
                    .create(client).getSid());
            inProgress.put(room, Boolean.TRUE);
        } catch (UpstreamFailure.Answer answer) {
            if (answer.code() != null && answer.code() == ROOM_EXISTS) {
                inProgress.put(room, Boolean.TRUE);
            } else if (logged.add("answer/" + answer.status() + "/" + answer.code())) {
                LOG.warn("Twilio refused to create the video room with status callbacks (HTTP {}, error {}); such rooms"
                        + " are created ad hoc and report no room events", answer.status(), answer.code());
            }
        } catch (RuntimeException e) {
            if (logged.add("failure/" + e.getClass().getSimpleName())) {
                LOG.warn("Could not create the video room with status callbacks ({}); it is created ad hoc and reports"
                        + " no room events", e.getMessage());
            }
        }
    }

    /** The room ended (its {@code room-ended} callback): the next login creates it again. */
    void ended(String room) {
        inProgress.invalidate(room);
    }
}

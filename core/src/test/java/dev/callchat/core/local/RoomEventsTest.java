package dev.callchat.core.local;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.RoomEvent;
import dev.callchat.core.RoomEvents;
import dev.callchat.core.config.Config;
import dev.callchat.core.spi.HubConnection;
import dev.callchat.core.spi.RoomHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The local provider's rooms, as the application's {@link RoomEvents} listener sees them. */
class RoomEventsTest {
    private static final String ROOM = "Audit";
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private final BlockingQueue<RoomEvent> events = new LinkedBlockingQueue<>();
    private CallSessionService service;

    private CallSessionService service(boolean bodies) {
        RoomEvents listener = new RoomEvents() {
            @Override
            public void accept(RoomEvent event) {
                events.add(event);
            }

            @Override
            public boolean wantsMessageBodies() {
                return bodies;
            }
        };
        service = CallSessionService.builder(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")))
                .clock(clock).roomEvents(listener).build();
        return service;
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void aRoomsLifeArrivesAsEventsWithUniqueIdsAndNoChatText() throws Exception {
        service(false);
        String anas = service.login(LoginRequest.of("ana", ROOM)).token();
        String bobs = service.login(LoginRequest.of("bob", ROOM)).token();
        HubConnection ana = connect(anas);
        HubConnection bob = connect(bobs);
        RoomEvent joinedAna = next(RoomEvent.Type.PARTICIPANT_JOINED);
        RoomEvent joinedBob = next(RoomEvent.Type.PARTICIPANT_JOINED);

        ana.onText("{\"type\":\"chat\",\"text\":\"the secret plan\"}");
        RoomEvent message = next(RoomEvent.Type.MESSAGE_ADDED);
        hub().upload(anas, "notes.txt", "minutes".getBytes(StandardCharsets.UTF_8));
        RoomEvent file = next(RoomEvent.Type.FILE_SHARED);
        service.moderation().lock(anas);
        RoomEvent locked = next(RoomEvent.Type.ROOM_LOCKED);
        service.moderation().ban(anas, "bob", clock.instant().plus(Duration.ofMinutes(5)));
        RoomEvent banned = next(RoomEvent.Type.PARTICIPANT_BANNED);
        RoomEvent left = next(RoomEvent.Type.PARTICIPANT_LEFT);
        service.moderation().end(anas);
        RoomEvent ended = next(RoomEvent.Type.ROOM_ENDED);

        assertThat(List.of(joinedAna.participant(), joinedBob.participant())).containsExactly("ana", "bob");
        assertThat(message.participant()).isEqualTo("ana");
        assertThat(message.details()).containsOnlyKeys("message_id");
        assertThat(message.toString()).doesNotContain("secret plan");
        assertThat(file.participant()).isEqualTo("ana");
        assertThat(file.details()).containsEntry("file_name", "notes.txt").containsEntry("file_type", "text/plain; charset=utf-8")
                .containsEntry("file_size", "7").containsKey("file_id");
        assertThat(locked.details()).containsEntry("by", "ana");
        assertThat(banned.participant()).isEqualTo("bob");
        assertThat(banned.details()).containsEntry("by", "ana").containsKey("until");
        assertThat(left.participant()).isEqualTo("bob");
        assertThat(ended.details()).containsEntry("by", "ana");
        assertThat(List.of(joinedAna, joinedBob, message, file, locked, banned, left, ended))
                .extracting(RoomEvent::id).doesNotHaveDuplicates();
        assertThat(List.of(joinedAna, message, ended)).extracting(RoomEvent::room).containsOnly(ROOM);
        assertThat(bob).isNotNull();
    }

    @Test
    void messageBodiesOnlyWhenTheListenerOptsIn() throws Exception {
        service(true);
        HubConnection ana = connect(service.login(LoginRequest.of("ana", ROOM)).token());

        ana.onText("{\"type\":\"chat\",\"text\":\"hello\"}");

        RoomEvent message = next(RoomEvent.Type.MESSAGE_ADDED);
        assertThat(message.details()).containsEntry("body", "hello").containsEntry("message_id", "1");
        assertThat(message.toString()).doesNotContain("hello");
    }

    private RoomHub hub() {
        return service.localHub().orElseThrow();
    }

    private HubConnection connect(String token) {
        HubConnection connection = hub().connect(FakePeer.inline("peer"));
        connection.onText(HubFixture.auth(token));
        return connection;
    }

    /** The next event of that type, skipping others; bounded so a missing event fails rather than hangs. */
    private RoomEvent next(RoomEvent.Type type) throws InterruptedException {
        while (true) {
            RoomEvent event = events.poll(30, TimeUnit.SECONDS);
            assertThat(event).as("a " + type + " event").isNotNull();
            if (event.type() == type) {
                return event;
            }
        }
    }
}

package dev.callchat.twilio;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.callchat.core.CallChatException;
import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ChatStatus;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.FakeTwilio.Route;
import dev.callchat.testing.FakeTwilioExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.threeten.extra.MutableClock;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the Twilio provider remembers about participants, and when it must forget: a full conversation (Twilio holds at
 * most 1,000 participants, error 50417; docs/twilio-limits.md) is not asked again for every login, and a participant
 * taken out of a conversation is not remembered as enrolled in it.
 */
@ExtendWith(FakeTwilioExtension.class)
class TwilioRosterMemoryTest {
    private static final String ROOM = "Town Hall";

    private FakeTwilio fake;
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC);

    /** The pacer's time: each login below moves it on by a slot, so no login's enrollment is queued by chance. */
    private final ManualTime pacerTime = new ManualTime();

    @BeforeEach
    void start(FakeTwilio fake) {
        this.fake = fake.participantLimit(2).actionsClock(clock);
    }

    private CallSessionService service() {
        return service(Map.of());
    }

    private CallSessionService service(Map<String, String> overrides) {
        Map<String, String> variables = new java.util.HashMap<>(overrides);
        variables.put("CALLCHAT_LOGIN_RATE", "off");
        Config config = fake.config(variables);
        TwilioProvider.Pacing pacing = new TwilioProvider.Pacing(ConversationPacer.Settings.forLimit(30), pacerTime,
                pacerTime, pacerTime.directExecutor());
        return CallSessionService.builder(config).clock(clock)
                .provider(TwilioProvider.create(config, clock, TwilioFixture.FAST, breaker -> { }, pacing)).build();
    }

    private CallSession login(CallSessionService calls, String identity, String room) {
        pacerTime.advance(100_000_000L);
        return calls.login(LoginRequest.of(identity, room));
    }

    @Test
    void aFullConversationGivesVideoOnlyAndIsNotAskedAgainForEveryLogin() {
        Logger logger = (Logger) LoggerFactory.getLogger(CallSessionService.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (CallSessionService calls = service()) {
            login(calls, "ana", ROOM);
            login(calls, "bob", ROOM);

            CallSession carol = login(calls, "carol", ROOM);
            CallSession dan = login(calls, "dan", ROOM);

            assertThat(carol.chat()).isFalse();
            assertThat(carol.chatStatus()).isEqualTo(ChatStatus.UNAVAILABLE);
            assertThat(dan.chat()).isFalse();
            // Carol's attempt found the conversation full; dan's login did not ask Twilio again.
            assertThat(fake.calls(Route.CREATE_PARTICIPANT)).isEqualTo(3);
            assertThat(fake.requests()).noneMatch(r -> r.names("dan"));
            // A full room is not an outage: other rooms' logins must not flip the outage warning on and off.
            assertThat(login(calls, "erin", "Another Room").chat()).isTrue();
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(line -> line.contains("Chat is unavailable") || line.contains("Chat is available again"));
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void withChatRequiredAFullConversationRefusesTheLoginWith503() {
        try (CallSessionService calls = service(Map.of("CALLCHAT_CHAT_REQUIRED", "true"))) {
            login(calls, "ana", ROOM);
            login(calls, "bob", ROOM);

            assertThatThrownBy(() -> login(calls, "carol", ROOM)).isInstanceOfSatisfying(CallChatException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.SERVICE_UNAVAILABLE));
            assertThat(fake.requests()).filteredOn(r -> r.names("carol")).hasSize(1);
        }
    }

    @Test
    void aFullConversationIsAskedAgainOnceItsMemoryExpires() {
        try (CallSessionService calls = service()) {
            login(calls, "ana", ROOM);
            login(calls, "bob", ROOM);
            login(calls, "carol", ROOM);
            fake.participantLimit(3);

            clock.add(TwilioParticipantRoster.FULL_MEMORY.plusSeconds(1));
            CallSession dan = login(calls, "dan", ROOM);

            assertThat(dan.chat()).isTrue();
            assertThat(fake.participants(dan.conversationSid())).contains("dan");
        }
    }

    @Test
    void aMemberRemovedByTheHostIsEnrolledAgainWhenTheyLogInAgain() {
        fake.participantLimit(FakeTwilio.MAX_PARTICIPANTS);
        try (CallSessionService calls = service()) {
            String ana = login(calls, "ana", ROOM).token();
            CallSession bob = login(calls, "bob", ROOM);
            calls.moderation().remove(ana, "bob");
            assertThat(fake.participants(bob.conversationSid())).containsExactly("ana");

            CallSession again = login(calls, "bob", ROOM);

            assertThat(again.chatStatus()).isEqualTo(ChatStatus.READY);
            assertThat(fake.participants(bob.conversationSid())).contains("ana", "bob");
        }
    }

    @Test
    void removingAMemberFromAFullConversationMakesRoomForTheNextLogin() {
        try (CallSessionService calls = service()) {
            String ana = login(calls, "ana", ROOM).token();
            CallSession bob = login(calls, "bob", ROOM);
            assertThat(login(calls, "carol", ROOM).chat()).isFalse();

            calls.moderation().remove(ana, "bob");
            CallSession dan = login(calls, "dan", ROOM);

            assertThat(dan.chat()).isTrue();
            assertThat(fake.participants(bob.conversationSid())).containsExactlyInAnyOrder("ana", "dan");
        }
    }
}

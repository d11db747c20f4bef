package dev.callchat.twilio;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.testing.FakeTwilio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A host's decisions carried out on Twilio's Video and Conversations REST APIs (against {@link FakeTwilio}). */
class TwilioModerationTest {
    private static final String ROOM = "Standup";

    private final FakeTwilio twilio = FakeTwilio.start();
    private final CallSessionService service = CallSessionService.create(twilio.config(Map.of("CALLCHAT_LOGIN_RATE", "off")));

    @AfterEach
    void close() {
        service.close();
        twilio.close();
    }

    @Test
    void removingAMemberDisconnectsTheirVideoAndTakesThemOutOfTheChat() {
        String ana = service.login(LoginRequest.of("ana", ROOM)).token();
        CallSession bob = service.login(LoginRequest.of("bob", ROOM));
        twilio.connectVideo(ROOM, "ana");
        twilio.connectVideo(ROOM, "bob");
        assertThat(twilio.participants(bob.conversationSid())).contains("ana", "bob");

        service.moderation().remove(ana, "bob");

        assertThat(twilio.videoParticipants(ROOM)).containsExactly("ana");
        assertThat(twilio.participants(bob.conversationSid())).containsExactly("ana");
        assertThat(twilio.calls(FakeTwilio.Route.UPDATE_ROOM_PARTICIPANT)).isEqualTo(1);
        assertThat(twilio.calls(FakeTwilio.Route.DELETE_PARTICIPANT)).isEqualTo(1);
    }

    @Test
    void aMemberWhoIsNotInTheVideoIsStillTakenOutOfTheChat() {
        String ana = service.login(LoginRequest.of("ana", ROOM)).token();
        CallSession bob = service.login(LoginRequest.of("bob", ROOM));

        service.moderation().remove(ana, "bob");

        assertThat(twilio.participants(bob.conversationSid())).containsExactly("ana");
    }

    @Test
    void endingTheRoomCompletesTheVideoRoomAndDisconnectsEveryone() {
        String ana = service.login(LoginRequest.of("ana", ROOM)).token();
        service.login(LoginRequest.of("bob", ROOM));
        twilio.connectVideo(ROOM, "ana");
        twilio.connectVideo(ROOM, "bob");

        service.moderation().end(ana);

        assertThat(twilio.videoRoomStatus(ROOM)).contains("completed");
        assertThat(twilio.videoParticipants(ROOM)).isEmpty();
        assertThat(twilio.calls(FakeTwilio.Route.UPDATE_ROOM)).isEqualTo(1);
    }

    @Test
    void aBanOutlastsTheMembersTokenAndRemovesThemFromTheVideo() {
        String ana = service.login(LoginRequest.of("ana", ROOM)).token();
        CallSession bob = service.login(LoginRequest.of("bob", ROOM));
        twilio.connectVideo(ROOM, "bob");

        java.time.Instant until = service.moderation().ban(ana, "bob", java.time.Instant.now().plusSeconds(60));

        assertThat(until).isAfterOrEqualTo(bob.expiresAt());
        assertThat(twilio.videoParticipants(ROOM)).isEmpty();
    }
}

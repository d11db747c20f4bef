package dev.callchat.core.local;

import dev.callchat.core.local.HubFixture.Member;
import dev.callchat.core.spi.HubConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TypingAndReadTest {
    private static final String TYPING = "{\"type\":\"typing\"}";

    private static String read(long id) {
        return "{\"type\":\"read\",\"id\":" + id + "}";
    }

    @Test
    void typingIsRelayedToTheOthersWithTheTypistsIdentity() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            Member cleo = fixture.join("cleo", "Other");

            ana.send(TYPING);

            assertThat(bob.peer().frames("typing")).singleElement()
                    .satisfies(f -> assertThat(f.path("identity").asText()).isEqualTo("ana"));
            assertThat(ana.peer().frames("typing")).isEmpty();
            assertThat(cleo.peer().frames("typing")).isEmpty();
        }
    }

    @Test
    void typingFasterThanTheIntervalIsRelayedOncePerInterval() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");

            for (int i = 0; i < 10; i++) {
                ana.send(TYPING);
                fixture.clock.add(Duration.ofMillis(150));
            }

            // 10 frames over 1.5 s with a 1 s interval: relayed at 0 ms and at 1050 ms.
            assertThat(bob.peer().frames("typing")).hasSize(2);
            assertThat(ana.peer().errorCodes()).isEmpty();
        }
    }

    @Test
    void typingWithAVideoOnlyTokenIsRefused() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            FakePeer peer = FakePeer.inline("vid");
            HubConnection connection = fixture.hub.connect(peer);
            connection.onText(HubFixture.auth(fixture.videoOnlyToken("vid", "Room")));
            Member bob = fixture.join("bob", "Room");

            connection.onText(TYPING);

            assertThat(peer.errorCodes()).containsExactly("chat_not_granted");
            assertThat(bob.peer().frames("typing")).isEmpty();
        }
    }

    @Test
    void typingIsNotSentToVideoOnlyMembers() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            FakePeer videoOnly = FakePeer.inline("vid");
            fixture.hub.connect(videoOnly).onText(HubFixture.auth(fixture.videoOnlyToken("vid", "Room")));
            Member ana = fixture.join("ana", "Room");

            ana.send(TYPING);

            assertThat(videoOnly.frames("typing")).isEmpty();
        }
    }

    @Test
    void welcomeCarriesZeroReadWhenNothingWasRead() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            assertThat(ana.peer().last("welcome").path("read").asLong()).isZero();
        }
    }

    @Test
    void whatWasSaidBeforeSomeoneFirstJoinedIsNotUnreadForThemButWhatCameWhileAwayIs() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            ana.say("one");
            ana.say("two");
            ana.say("three");

            Member bob = fixture.join("bob", "Room");
            assertThat(bob.peer().last("welcome").path("read").asLong()).isEqualTo(3);

            bob.connection().onClose();
            ana.say("four");
            Member again = fixture.join("bob", "Room");
            assertThat(again.peer().last("welcome").path("read").asLong()).isEqualTo(3);
        }
    }

    @Test
    void readHorizonSurvivesAReconnect() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            ana.say("one");
            ana.say("two");
            ana.say("three");
            bob.send(read(2));

            bob.connection().onClose();
            Member again = fixture.join("bob", "Room");

            assertThat(again.peer().last("welcome").path("read").asLong()).isEqualTo(2);
        }
    }

    @Test
    void readHorizonNeverMovesBackNorPastTheNewestMessage() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            ana.say("one");
            ana.say("two");
            bob.send(read(2));
            bob.send(read(1));
            ana.send(read(99));

            bob.connection().onClose();
            Member bobAgain = fixture.join("bob", "Room");
            ana.connection().onClose();
            Member anaAgain = fixture.join("ana", "Room");

            assertThat(bobAgain.peer().last("welcome").path("read").asLong()).isEqualTo(2);
            assertThat(anaAgain.peer().last("welcome").path("read").asLong()).isEqualTo(2);
        }
    }

    @Test
    void readStateIsPerRoom() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member keeper = fixture.join("keeper", "Other");
            ana.say("one");
            ana.send(read(1));

            Member anaElsewhere = fixture.join("ana", "Other");

            assertThat(anaElsewhere.peer().last("welcome").path("read").asLong()).isZero();
            assertThat(keeper.peer().errorCodes()).isEmpty();
        }
    }

    @Test
    void readWithoutAPositiveWholeIdIsABadFrame() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.send("{\"type\":\"read\"}");
            ana.send("{\"type\":\"read\",\"id\":0}");
            ana.send("{\"type\":\"read\",\"id\":\"3\"}");
            ana.send("{\"type\":\"read\",\"id\":1.5}");

            assertThat(ana.peer().errorCodes()).containsExactly("bad_frame", "bad_frame", "bad_frame", "bad_frame");
        }
    }
}

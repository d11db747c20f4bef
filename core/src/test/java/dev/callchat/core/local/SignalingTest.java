package dev.callchat.core.local;

import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignalingTest {
    private static final String OFFER = "{\"sdp\":\"v=0...\",\"kind\":\"offer\"}";

    @Test
    void signalReachesTheNamedPeerInTheSameRoomOnly() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room A");
            Member cat = fixture.join("cat", "Room A");
            Member dan = fixture.join("dan", "Room A");

            ana.send("{\"type\":\"signal\",\"to\":\"cat\",\"data\":" + OFFER + "}");

            assertThat(cat.peer().frames("signal")).singleElement().satisfies(signal -> {
                assertThat(signal.path("from").asText()).isEqualTo("ana");
                assertThat(signal.path("data").toString()).isEqualTo(OFFER);
            });
            assertThat(dan.peer().frames("signal")).isEmpty();
            assertThat(ana.peer().frames("error")).isEmpty();
        }
    }

    @Test
    void signalToAMemberOfAnotherRoomIsAnUnknownPeer() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room A");
            Member bob = fixture.join("bob", "Room B");

            ana.send("{\"type\":\"signal\",\"to\":\"bob\",\"data\":" + OFFER + "}");

            assertThat(ana.peer().errorCodes()).containsExactly("unknown_peer");
            assertThat(bob.peer().frames("signal")).isEmpty();
        }
    }

    @Test
    void signalToOneselfOrNobodyIsAnUnknownPeer() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room A");

            ana.send("{\"type\":\"signal\",\"to\":\"ana\",\"data\":{}}");
            ana.send("{\"type\":\"signal\",\"to\":\"nobody\",\"data\":{}}");

            assertThat(ana.peer().errorCodes()).containsExactly("unknown_peer", "unknown_peer");
            assertThat(ana.peer().frames("signal")).isEmpty();
        }
    }

    @Test
    void signalWithoutDataIsABadFrame() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room A");
            fixture.join("bob", "Room A");

            ana.send("{\"type\":\"signal\",\"to\":\"bob\"}");

            assertThat(ana.peer().errorCodes()).containsExactly("bad_frame");
        }
    }
}

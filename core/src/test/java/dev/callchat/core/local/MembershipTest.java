package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MembershipTest {
    @Test
    void welcomeListsTheOthersAndTheyHearOfTheNewcomer() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");

            JsonNode welcome = bob.peer().last("welcome");
            assertThat(welcome.path("identity").asText()).isEqualTo("bob");
            assertThat(welcome.path("video").asBoolean()).isTrue();
            assertThat(welcome.path("participants").toString()).isEqualTo("[{\"identity\":\"ana\",\"video\":true}]");
            assertThat(ana.peer().last("joined").path("identity").asText()).isEqualTo("bob");
            assertThat(bob.peer().frames("joined")).isEmpty();
        }
    }

    @Test
    void welcomeIsTheFirstFrame() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            assertThat(ana.peer().frames().get(0).path("type").asText()).isEqualTo("welcome");
        }
    }

    @Test
    void seventhMemberIsChatOnlyAndToldSo() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            List<Member> six = IntStream.range(0, 6).mapToObj(i -> fixture.join("v" + i, "Room")).toList();

            Member seventh = fixture.join("late", "Room");

            assertThat(seventh.peer().last("welcome").path("video").asBoolean()).isFalse();
            assertThat(seventh.peer().errorCodes()).containsExactly("video_full");
            assertThat(six.get(0).peer().last("joined").path("video").asBoolean()).isFalse();
            seventh.say("I can still chat");
            assertThat(six.get(0).peer().last("chat").path("text").asText()).isEqualTo("I can still chat");
        }
    }

    @Test
    void whenAVideoMemberLeavesEveryChatOnlyMemberHearsThatAPlaceIsFree() {
        try (HubFixture fixture = new HubFixture(twoOnVideo())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            Member cleo = fixture.join("cleo", "Room");
            Member dan = fixture.join("dan", "Room");

            ana.connection().onClose();

            assertThat(cleo.peer().frames("video_slot")).hasSize(1);
            assertThat(dan.peer().frames("video_slot")).hasSize(1);
            assertThat(bob.peer().frames("video_slot")).isEmpty();
        }
    }

    @Test
    void aChatOnlyMemberLeavingFreesNoVideoPlace() {
        try (HubFixture fixture = new HubFixture(twoOnVideo())) {
            fixture.join("ana", "Room");
            fixture.join("bob", "Room");
            Member cleo = fixture.join("cleo", "Room");
            Member dan = fixture.join("dan", "Room");

            dan.connection().onClose();

            assertThat(cleo.peer().frames("video_slot")).isEmpty();
        }
    }

    @Test
    void takingAFreedPlaceGivesVideoAndTheOthersHearTheMemberJoinedWithVideo() {
        try (HubFixture fixture = new HubFixture(twoOnVideo())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            Member cleo = fixture.join("cleo", "Room");
            ana.connection().onClose();

            cleo.send(TAKE_VIDEO);

            assertThat(cleo.peer().frames("promoted")).hasSize(1);
            JsonNode joined = bob.peer().last("joined");
            assertThat(joined.path("identity").asText()).isEqualTo("cleo");
            assertThat(joined.path("video").asBoolean()).isTrue();
            cleo.send("{\"type\":\"signal\",\"to\":\"bob\",\"data\":{\"offer\":1}}");
            assertThat(bob.peer().last("signal").path("from").asText()).isEqualTo("cleo");
            assertThat(cleo.peer().errorCodes()).containsExactly("video_full");
        }
    }

    @Test
    void onlyTheFirstToAskGetsTheFreedPlace() {
        try (HubFixture fixture = new HubFixture(twoOnVideo())) {
            Member ana = fixture.join("ana", "Room");
            fixture.join("bob", "Room");
            Member cleo = fixture.join("cleo", "Room");
            Member dan = fixture.join("dan", "Room");
            ana.connection().onClose();

            cleo.send(TAKE_VIDEO);
            dan.send(TAKE_VIDEO);

            assertThat(cleo.peer().frames("promoted")).hasSize(1);
            assertThat(dan.peer().frames("promoted")).isEmpty();
            assertThat(dan.peer().errorCodes()).containsExactly("video_full", "video_full");
        }
    }

    @Test
    void askingForVideoWhileTheCallIsFullIsRefused() {
        try (HubFixture fixture = new HubFixture(twoOnVideo())) {
            fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            Member cleo = fixture.join("cleo", "Room");

            cleo.send(TAKE_VIDEO);

            assertThat(cleo.peer().frames("promoted")).isEmpty();
            assertThat(cleo.peer().errorCodes()).containsExactly("video_full", "video_full");
            assertThat(bob.peer().frames("joined")).hasSize(1);
        }
    }

    private static final String TAKE_VIDEO = "{\"type\":\"take_video\"}";

    private static HubLimits twoOnVideo() {
        return HubFixture.generous().toBuilder().maxVideoMembers(2).build();
    }

    @Test
    void chatOnlyMemberCannotSignal() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            List<Member> six = IntStream.range(0, 6).mapToObj(i -> fixture.join("v" + i, "Room")).toList();
            Member seventh = fixture.join("late", "Room");

            seventh.send("{\"type\":\"signal\",\"to\":\"v0\",\"data\":{}}");
            six.get(0).send("{\"type\":\"signal\",\"to\":\"late\",\"data\":{}}");

            assertThat(seventh.peer().errorCodes()).containsExactly("video_full", "video_full");
            assertThat(six.get(0).peer().errorCodes()).containsExactly("unknown_peer");
            assertThat(six.get(0).peer().frames("signal")).isEmpty();
        }
    }

    @Test
    void sameIdentityAgainReplacesTheOlderConnectionWith4409() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member first = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");

            Member second = fixture.join("ana", "Room");
            first.connection().onClose(); // the adapter reports the closure it was asked for

            assertThat(first.peer().closeCode()).isEqualTo(4409);
            assertThat(first.peer().closeReason()).isEqualTo("replaced");
            assertThat(second.peer().last("welcome").path("participants").toString())
                    .isEqualTo("[{\"identity\":\"bob\",\"video\":true}]");
            assertThat(bob.peer().frames()).extracting(f -> f.path("type").asText())
                    .containsExactly("welcome", "left", "joined");
            second.say("back");
            assertThat(bob.peer().last("chat").path("text").asText()).isEqualTo("back");
        }
    }

    @Test
    void replacedConnectionCanNoLongerSpeak() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member first = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            fixture.join("ana", "Room");

            first.say("ghost");

            assertThat(bob.peer().frames("chat")).isEmpty();
        }
    }

    @Test
    void leavingTellsTheOthersAndAnEmptyRoomIsRemoved() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");

            bob.connection().onClose();
            assertThat(ana.peer().last("left").path("identity").asText()).isEqualTo("bob");
            assertThat(fixture.hub.roomCount()).isEqualTo(1);

            ana.connection().onClose();
            assertThat(fixture.hub.roomCount()).isZero();
        }
    }

    @Test
    void aFreedVideoSlotGoesToTheNextJoiner() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            List<Member> six = IntStream.range(0, 6).mapToObj(i -> fixture.join("v" + i, "Room")).toList();
            six.get(0).connection().onClose();

            Member next = fixture.join("next", "Room");

            assertThat(next.peer().last("welcome").path("video").asBoolean()).isTrue();
        }
    }

    @Test
    void closingTheHubCloses1001EveryConnectionAuthenticatedOrNot() {
        HubFixture fixture = new HubFixture(HubFixture.generous());
        Member ana = fixture.join("ana", "Room");
        Member bob = fixture.join("bob", "Other");
        FakePeer pending = FakePeer.inline("pending");
        fixture.hub.connect(pending);

        fixture.hub.close();

        assertThat(List.of(ana.peer(), bob.peer(), pending)).allSatisfy(peer -> {
            assertThat(peer.closeCode()).isEqualTo(1001);
            assertThat(peer.closeReason()).isEqualTo("server shutting down");
        });
        assertThat(ana.peer().frames("left")).isEmpty();
        assertThat(fixture.deadlines.closed()).isTrue();
    }

    @Test
    void connectingAfterCloseIsRefusedWith1001() {
        HubFixture fixture = new HubFixture(HubFixture.generous());
        fixture.hub.close();
        FakePeer late = FakePeer.inline("late");

        fixture.hub.connect(late);

        assertThat(late.closeCode()).isEqualTo(1001);
    }

    @Test
    void framesAfterCloseAreIgnored() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");
            ana.connection().onClose();

            ana.say("from beyond");

            assertThat(bob.peer().frames("chat")).isEmpty();
        }
    }
}

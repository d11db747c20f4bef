package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTest {
    @Test
    void pagingBackFromTheWelcomeReturnsEveryMessageExactlyOnceInOrder() {
        try (HubFixture fixture = new HubFixture(HubFixture.limits(1_000_000, 1_000_000, 2_000, 100_000))) {
            Member ana = fixture.join("ana", "Room");
            for (int i = 1; i <= 1_234; i++) {
                ana.say("message " + i);
            }
            Member bob = fixture.join("bob", "Room");

            List<Long> ids = pageAll(bob);

            assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(1, 1_234).boxed().toList());
        }
    }

    @Test
    void welcomeCarriesTheNewestPageOldestFirst() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            for (int i = 1; i <= 60; i++) {
                ana.say("message " + i);
            }
            Member bob = fixture.join("bob", "Room");

            JsonNode welcome = bob.peer().last("welcome");
            assertThat(welcome.path("history")).hasSize(50);
            assertThat(welcome.path("history").get(0).path("id").asLong()).isEqualTo(11);
            assertThat(welcome.path("history").get(0).path("text").asText()).isEqualTo("message 11");
            assertThat(welcome.path("history").get(49).path("id").asLong()).isEqualTo(60);
            assertThat(welcome.path("more").asBoolean()).isTrue();
        }
    }

    @Test
    void ringDropsTheOldestMessages() {
        try (HubFixture fixture = new HubFixture(HubFixture.limits(1_000_000, 1_000_000, 100, 100_000))) {
            Member ana = fixture.join("ana", "Room");
            for (int i = 1; i <= 250; i++) {
                ana.say("message " + i);
            }
            Member bob = fixture.join("bob", "Room");

            assertThat(pageAll(bob)).containsExactlyElementsOf(LongStream.rangeClosed(151, 250).boxed().toList());
        }
    }

    @Test
    void chatCarriesServerIdAuthorAndClockTime() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.say("hi");
            ana.say("again");

            assertThat(ana.peer().frames("chat")).extracting(f -> f.path("id").asLong(), f -> f.path("author").asText(),
                    f -> f.path("text").asText(), f -> f.path("at").asText())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "ana", "hi", "2026-11-25T10:00:00Z"),
                            org.assertj.core.groups.Tuple.tuple(2L, "ana", "again", "2026-11-25T10:00:00Z"));
        }
    }

    @Test
    void historyOfAnEmptyRoomIsEmpty() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.send("{\"type\":\"history\",\"before\":1}");

            JsonNode history = ana.peer().last("history");
            assertThat(history.path("messages")).isEmpty();
            assertThat(history.path("more").asBoolean()).isFalse();
        }
    }

    @Test
    void historyBeforeThatIsNotAPositiveNumberIsABadFrame() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");

            ana.send("{\"type\":\"history\",\"before\":\"x\"}");
            ana.send("{\"type\":\"history\",\"before\":0}");

            assertThat(ana.peer().errorCodes()).containsExactly("bad_frame", "bad_frame");
        }
    }

    @Test
    void historyIsForgottenWhenTheRoomEmpties() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            Member ana = fixture.join("ana", "Room");
            ana.say("hello");
            ana.connection().onClose();

            Member bob = fixture.join("bob", "Room");

            assertThat(bob.peer().last("welcome").path("history")).isEmpty();
        }
    }

    /** Welcome page, then history requests until more is false; returns every id seen, in order. */
    private static List<Long> pageAll(Member member) {
        JsonNode welcome = member.peer().last("welcome");
        List<List<Long>> pages = new ArrayList<>();
        pages.add(ids(welcome.path("history")));
        boolean more = welcome.path("more").asBoolean();
        long before = pages.get(0).get(0);
        while (more) {
            member.send("{\"type\":\"history\",\"before\":" + before + "}");
            JsonNode page = member.peer().last("history");
            List<Long> ids = ids(page.path("messages"));
            assertThat(ids).isNotEmpty().allMatch(id -> id < pages.get(0).get(0));
            pages.add(0, ids);
            before = ids.get(0);
            more = page.path("more").asBoolean();
        }
        return pages.stream().flatMap(List::stream).toList();
    }

    private static List<Long> ids(JsonNode messages) {
        List<Long> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.path("id").asLong()));
        return ids;
    }
}

package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of joins and leaves must not drop members who read normally: presence changes waiting for a
 * member are merged per identity, so they take one place in its outbound queue however many there are.
 * Readers here complete each send only when the test lets them (as a real socket completes them after
 * the network round trip), so the burst always outruns them: the verdict does not depend on timing.
 */
class PresenceBurstTest {
    private static final int BURST = 500;

    @Test
    void burstOfJoinsThenLeavesDropsNoReaderAndLeavesTheirViewExact() {
        try (HubFixture fixture = new HubFixture(HubFixture.limits(1_000_000, 1_000_000, 1_000, 256))) {
            ManualCompletions network = new ManualCompletions();
            List<Member> readers = IntStream.range(0, 3)
                    .mapToObj(i -> fixture.join(new FakePeer("reader" + i, FakePeer.Mode.ASYNC, network), "reader" + i, "Room"))
                    .toList();
            network.runAll();

            List<Member> crowd = IntStream.range(0, BURST).mapToObj(i -> fixture.join("guest" + i, "Room")).toList();
            crowd.forEach(guest -> guest.connection().onClose());
            network.runAll();

            for (Member reader : readers) {
                assertThat(reader.peer().closeCode()).as(reader.identity() + " close code").isZero();
                assertThat(view(reader)).as(reader.identity() + "'s view of the room").containsOnlyKeys(
                        readers.stream().map(Member::identity).filter(id -> !id.equals(reader.identity())).toArray(String[]::new));
            }
            assertThat(readers.get(0).peer().frames().size()).as("the burst cost the first reader few frames")
                    .isLessThan(BURST);
        }
    }

    @Test
    void burstOfLeavesDropsNoReader() {
        try (HubFixture fixture = new HubFixture(HubFixture.limits(1_000_000, 1_000_000, 1_000, 256))) {
            List<Member> crowd = IntStream.range(0, BURST).mapToObj(i -> fixture.join("guest" + i, "Room")).toList();
            ManualCompletions network = new ManualCompletions();
            Member reader = fixture.join(new FakePeer("reader", FakePeer.Mode.ASYNC, network), "reader", "Room");

            crowd.forEach(guest -> guest.connection().onClose());
            network.runAll();

            assertThat(reader.peer().closeCode()).isZero();
            assertThat(view(reader)).isEmpty();
            assertThat(reader.peer().frames("left")).hasSize(BURST);
        }
    }

    @Test
    void replacedIdentityStillArrivesAsLeftThenJoinedWhenMerged() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            ManualCompletions network = new ManualCompletions();
            Member reader = fixture.join(new FakePeer("reader", FakePeer.Mode.ASYNC, network), "reader", "Room");
            Member first = fixture.join("ana", "Room");
            network.runAll();
            reader.say("hold the line"); // one send in flight: what follows waits in the queue
            fixture.join("ana", "Room");
            first.connection().onClose();
            network.runAll();

            List<String> seen = reader.peer().frames().stream()
                    .map(f -> f.path("type").asText() + " " + f.path("identity").asText("")).toList();
            assertThat(seen).containsSubsequence("joined ana", "chat ", "left ana", "joined ana");
            assertThat(view(reader)).containsOnlyKeys("ana");
        }
    }

    @Test
    void chatStaysOrderedAfterThePresenceItFollows() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            ManualCompletions network = new ManualCompletions();
            Member reader = fixture.join(new FakePeer("reader", FakePeer.Mode.ASYNC, network), "reader", "Room");
            network.runAll();
            reader.say("first"); // in flight
            Member bob = fixture.join("bob", "Room");
            bob.say("hi from bob");
            bob.connection().onClose();
            network.runAll();

            List<String> seen = reader.peer().frames().stream()
                    .map(f -> f.path("type").asText() + " " + f.path("identity").asText(f.path("author").asText(""))).toList();
            assertThat(seen).containsExactly("welcome reader", "chat reader", "joined bob", "chat bob", "left bob");
        }
    }

    @Test
    void stalledReaderStillDroppedByChatItCannotTake() {
        try (HubFixture fixture = new HubFixture(HubFixture.limits(1_000_000, 1_000_000, 1_000, 16))) {
            Member sender = fixture.join("ana", "Room");
            Member stalled = fixture.join(FakePeer.stalled("stuck"), "stuck", "Room");
            for (int i = 0; i < 300; i++) {
                fixture.join("guest" + i, "Room").connection().onClose();
            }
            assertThat(stalled.peer().closeCode()).as("presence alone is merged: bounded, no drop").isZero();

            for (int i = 0; i < 100; i++) {
                sender.say("message " + i);
            }
            assertThat(stalled.peer().closeCode()).isEqualTo(4408);
        }
    }

    /** The participants a member believes are in its room, from its welcome and the presence frames since. */
    private static Map<String, Boolean> view(Member member) {
        Map<String, Boolean> view = new LinkedHashMap<>();
        for (JsonNode frame : member.peer().frames()) {
            switch (frame.path("type").asText()) {
                case "welcome" -> frame.path("participants").forEach(p -> view.put(p.path("identity").asText(), p.path("video").asBoolean()));
                case "joined" -> assertThat(view.put(frame.path("identity").asText(), frame.path("video").asBoolean()))
                        .as("joined for someone already present: " + frame).isNull();
                case "left" -> assertThat(view.remove(frame.path("identity").asText()))
                        .as("left for someone absent: " + frame).isNotNull();
                default -> { }
            }
        }
        return view;
    }

    /** Send completions that happen only when the test runs them, like acknowledgements from a network. */
    static final class ManualCompletions implements Executor {
        private final ArrayDeque<Runnable> pending = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable completion) {
            pending.add(completion);
        }

        /** Completes every send, including those the completions start, until nothing is in flight. */
        void runAll() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = pending.poll();
                }
                if (next == null) {
                    return;
                }
                next.run();
            }
        }
    }
}

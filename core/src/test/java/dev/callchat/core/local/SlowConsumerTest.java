package dev.callchat.core.local;

import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SlowConsumerTest {
    private static final int QUEUE = 16;

    @Test
    void stalledConsumerIsDroppedWith4408WhileOthersGetEverything() {
        try (HubFixture fixture = new HubFixture(HubFixture.limits(1_000_000, 1_000_000, 1_000, QUEUE))) {
            List<Member> healthy = IntStream.range(0, 4).mapToObj(i -> fixture.join("ok" + i, "Room")).toList();
            Member stalled = fixture.join(FakePeer.stalled("stuck"), "stuck", "Room");
            Member sender = healthy.get(0);

            for (int i = 0; i < 100; i++) {
                sender.say("message " + i);
            }

            assertThat(stalled.peer().closeCode()).isEqualTo(4408);
            assertThat(stalled.peer().closeReason()).isEqualTo("too slow");
            assertThat(stalled.peer().frames()).as("only the frame in flight was handed over").hasSize(1);
            for (Member member : healthy) {
                assertThat(member.peer().frames("chat")).hasSize(100);
                assertThat(member.peer().frames("left")).extracting(f -> f.path("identity").asText()).containsExactly("stuck");
                assertThat(member.peer().closeCode()).isZero();
            }
        }
    }

    @Test
    void consumerThatCatchesUpWithinTheQueueIsKept() {
        try (HubFixture fixture = new HubFixture(HubFixture.limits(1_000_000, 1_000_000, 1_000, QUEUE))) {
            Member sender = fixture.join("ana", "Room");
            Member reader = fixture.join("bob", "Room");

            for (int i = 0; i < QUEUE * 10; i++) {
                sender.say("message " + i);
            }

            assertThat(reader.peer().frames("chat")).hasSize(QUEUE * 10);
            assertThat(reader.peer().closeCode()).isZero();
        }
    }
}

package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HubFanOutTest {
    private static final int MEMBERS = 50;
    private static final int MESSAGES = 100;

    @ParameterizedTest
    @EnumSource(value = FakePeer.Mode.class, names = {"INLINE", "ASYNC"})
    void fiftyConcurrentSendersReachEveryMemberInSenderOrder(FakePeer.Mode mode) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        ExecutorService completions = Executors.newFixedThreadPool(4);
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                String name = "m" + i;
                members.add(fixture.join(new FakePeer(name, mode, completions), name, "Big Room"));
            }
            List<Future<?>> sending = new ArrayList<>();
            for (Member member : members) {
                sending.add(senders.submit(() -> {
                    for (int n = 0; n < MESSAGES; n++) {
                        member.say(member.identity() + ":" + n);
                    }
                }));
            }
            for (Future<?> f : sending) {
                f.get(60, TimeUnit.SECONDS);
            }

            for (Member member : members) {
                member.peer().awaitFrames(frames -> frames.stream()
                        .filter(f -> f.path("type").asText().equals("chat")).count() == MEMBERS * MESSAGES,
                        Duration.ofSeconds(60));
                List<JsonNode> chats = member.peer().frames("chat");
                assertThat(chats).hasSize(MEMBERS * MESSAGES);
                Map<String, Integer> nextPerSender = new HashMap<>();
                long lastId = 0;
                for (JsonNode chat : chats) {
                    String[] parts = chat.path("text").asText().split(":");
                    assertThat(parts[0]).isEqualTo(chat.path("author").asText());
                    int expected = nextPerSender.getOrDefault(parts[0], 0);
                    assertThat(Integer.parseInt(parts[1])).as("message order from %s", parts[0]).isEqualTo(expected);
                    nextPerSender.put(parts[0], expected + 1);
                    assertThat(chat.path("id").asLong()).as("ids increase for every receiver").isGreaterThan(lastId);
                    lastId = chat.path("id").asLong();
                }
                assertThat(nextPerSender).hasSize(MEMBERS).allSatisfy((sender, count) -> assertThat(count).isEqualTo(MESSAGES));
                assertThat(member.peer().closeCode()).isZero();
            }
        } finally {
            senders.shutdownNow();
            completions.shutdownNow();
        }
    }
}

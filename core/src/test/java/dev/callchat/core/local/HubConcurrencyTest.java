package dev.callchat.core.local;

import dev.callchat.core.local.HubFixture.Member;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HubConcurrencyTest {
    @Test
    void racingJoinsReplacementsAndLeavesLeaveNoRoomBehind() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (HubFixture fixture = new HubFixture(HubFixture.generous())) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        // Few identities and rooms, so joins replace each other and rooms empty and refill.
                        Member member = fixture.join("user" + (i % 3), "Room " + ((thread + i) % 2));
                        member.say("hello " + i);
                        member.connection().onClose();
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }

            assertThat(fixture.hub.roomCount()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void realTimerClosesAnUnauthenticatedSocket() throws Exception {
        HubLimits quick = HubLimits.custom().authDeadline(Duration.ofMillis(50)).build();
        LocalTokens tokens = new LocalTokens(HubFixture.KEY, Duration.ofHours(1), MutableClock.of(Instant.EPOCH, ZoneOffset.UTC),
                new java.security.SecureRandom());
        try (LocalRoomHub hub = new LocalRoomHub(quick, tokens, java.time.Clock.systemUTC(), Deadlines.daemon())) {
            FakePeer peer = FakePeer.inline("idle");
            hub.connect(peer);

            synchronized (peer) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (peer.closeCode() == 0 && System.nanoTime() < deadline) {
                    peer.wait(100);
                }
            }
            assertThat(peer.closeCode()).isEqualTo(4401);
        }
    }
}

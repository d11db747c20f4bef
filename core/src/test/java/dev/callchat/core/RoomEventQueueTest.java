package dev.callchat.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** How room events reach the application's listener: off the caller's thread, at least once, never blocking. */
class RoomEventQueueTest {
    private static RoomEvent event(String id) {
        return new RoomEvent(id, RoomEvent.Type.ROOM_LOCKED, "Room", Instant.EPOCH, null, Map.of("by", "ana"));
    }

    @Test
    void aListenerThatThrowsGetsTheSameEventAgain() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RoomEventQueue queue = new RoomEventQueue(e -> {
            seen.add(e.id());
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("audit store briefly down");
            }
            delivered.countDown();
        }, 10);

        queue.offer(event("e1"));

        assertThat(delivered.await(30, TimeUnit.SECONDS)).isTrue();
        queue.close();
        assertThat(seen).containsExactly("e1", "e1");
        assertThat(queue.failed()).isZero();
    }

    @Test
    void aListenerThatKeepsFailingIsGivenUpOnAfterFourAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch next = new CountDownLatch(1);
        RoomEventQueue queue = new RoomEventQueue(e -> {
            if (e.id().equals("bad")) {
                calls.incrementAndGet();
                throw new IllegalStateException("always");
            }
            next.countDown();
        }, 10);

        queue.offer(event("bad"));
        queue.offer(event("good"));

        assertThat(next.await(60, TimeUnit.SECONDS)).isTrue();
        queue.close();
        assertThat(calls).hasValue(RoomEventQueue.ATTEMPTS);
        assertThat(queue.failed()).isEqualTo(1);
    }

    @Test
    void aSlowListenerCostsDroppedEventsNotABlockedCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        RoomEventQueue queue = new RoomEventQueue(e -> {
            first.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            seen.add(e.id());
        }, 3);
        queue.offer(event("taken"));
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();

        // The listener holds "taken"; three fit in the queue, the rest are dropped at once.
        for (int i = 0; i < 10; i++) {
            queue.offer(event("e" + i));
        }

        assertThat(queue.dropped()).isEqualTo(7);
        release.countDown();
        queue.close();
        assertThat(seen).containsExactly("taken", "e0", "e1", "e2");
    }
}

package dev.callchat.twilio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The pacer on a hand-driven clock: rates, bursts and adaptation are exact, nothing waits. */
class ConversationPacerTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final String SID = "CH" + "0".repeat(31) + "1";

    private final ManualTime time = new ManualTime();
    private final ConversationPacer pacer = new ConversationPacer(ConversationPacer.Settings.forLimit(30), time, time,
            time.directExecutor());

    @Test
    void aCrowdIsPacedBelowThirtyActionsInAnyOneSecondSpan() {
        List<Long> ran = new ArrayList<>();
        int granted = 0;
        for (int i = 0; i < 300; i++) {
            if (pacer.tryAcquire(SID)) {
                granted++;
                ran.add(time.getAsLong());
            } else {
                pacer.enqueue(SID, () -> {
                    ran.add(time.getAsLong());
                    return ConversationPacer.Outcome.DONE;
                }, false);
            }
        }
        time.advance(20 * SECOND);

        assertThat(granted).isEqualTo(2);
        assertThat(ran).hasSize(300);
        assertThat(maxInAnySecond(ran)).isLessThanOrEqualTo(29);
        // 27.9 per second after the first two: the last one about 10.7 s after the crowd arrived.
        assertThat(ran.get(299) - ran.get(0)).isBetween(10_600 * MS, 10_800 * MS);
        assertThat(pacer.queued()).isZero();
    }

    @Test
    void aFreeLaneLetsTheCallerActAtOnceAndAQueueKeepsItsOrder() {
        List<Integer> order = new ArrayList<>();
        assertThat(pacer.tryAcquire(SID)).isTrue();
        assertThat(pacer.tryAcquire(SID)).isTrue();
        assertThat(pacer.tryAcquire(SID)).isFalse();
        for (int i = 0; i < 3; i++) {
            int n = i;
            pacer.enqueue(SID, () -> {
                order.add(n);
                return ConversationPacer.Outcome.DONE;
            }, false);
        }
        // Someone queued first: a free slot goes to the queue, not to a newcomer.
        time.advance(200 * MS);
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(pacer.tryAcquire("CH" + "0".repeat(31) + "2")).as("another conversation has its own lane").isTrue();
    }

    @Test
    void aThrottledActionHalvesTheRateOnceAndIsRetriedFirst() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> done = new ArrayList<>();
        while (pacer.tryAcquire(SID)) {
            pacer.record(SID, ConversationPacer.Outcome.DONE);
        }
        pacer.enqueue(SID, () -> attempts.incrementAndGet() <= 3 ? ConversationPacer.Outcome.THROTTLED
                : done.add("first") ? ConversationPacer.Outcome.DONE : null, false);
        pacer.enqueue(SID, () -> done.add("second") ? ConversationPacer.Outcome.DONE : null, false);

        time.advance(100 * MS);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(pacer.rate(SID)).isCloseTo(13.95, within(1e-9));
        assertThat(done).isEmpty();

        time.advance(100 * MS);
        // A second 429 within the same second says nothing new: one halving per second.
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(pacer.rate(SID)).isCloseTo(13.95, within(1e-9));
        assertThat(done).as("the throttled action keeps its place before the second one").isEmpty();

        time.advance(5 * SECOND);
        assertThat(done).containsExactly("first", "second");
    }

    @Test
    void afterThrottlingTheRateRecoversToTheCeilingWithSuccesses() {
        pacer.tryAcquire(SID);
        pacer.record(SID, ConversationPacer.Outcome.THROTTLED);
        assertThat(pacer.rate(SID)).isCloseTo(13.95, within(1e-9));
        List<Long> ran = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            pacer.enqueue(SID, () -> {
                ran.add(time.getAsLong());
                return ConversationPacer.Outcome.DONE;
            }, false);
        }
        time.advance(10 * SECOND);

        assertThat(ran).hasSize(60);
        assertThat(pacer.rate(SID)).isCloseTo(27.9, within(1e-9));
        assertThat(maxInAnySecond(ran)).isLessThanOrEqualTo(29);
    }

    @Test
    void repeatedThrottlingSlowsDownToTheFloorButNeverStops() {
        AtomicInteger attempts = new AtomicInteger();
        pacer.tryAcquire(SID);
        pacer.tryAcquire(SID);
        pacer.enqueue(SID, () -> attempts.incrementAndGet() < 12 ? ConversationPacer.Outcome.THROTTLED
                : ConversationPacer.Outcome.DONE, false);
        time.advance(30 * SECOND);

        assertThat(attempts.get()).isEqualTo(12);
        assertThat(pacer.queued()).isZero();
    }

    @Test
    void theQueueIsBounded() {
        ConversationPacer small = new ConversationPacer(new ConversationPacer.Settings(27, 1, 0.5, 3, SECOND), time, time,
                time.directExecutor());
        for (int i = 0; i < 3; i++) {
            assertThat(small.enqueue(SID, () -> ConversationPacer.Outcome.DONE, false)).isTrue();
        }
        assertThat(small.enqueue(SID, () -> ConversationPacer.Outcome.DONE, false)).isFalse();
        time.advance(SECOND);
        assertThat(small.queued()).isZero();
        assertThat(small.enqueue(SID, () -> ConversationPacer.Outcome.DONE, false)).isTrue();
    }

    @Test
    void idleLanesAreForgotten() {
        for (int i = 0; i < 100; i++) {
            pacer.tryAcquire("CH" + String.format("%032x", i));
        }
        assertThat(pacer.lanes()).isEqualTo(100);
        time.advance(61 * SECOND);
        pacer.tryAcquire(SID);
        assertThat(pacer.lanes()).isEqualTo(1);
    }

    private static int maxInAnySecond(List<Long> times) {
        int max = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= SECOND) {
                j++;
            }
            max = Math.max(max, i - j + 1);
        }
        return max;
    }
}

package dev.callchat.core;

import dev.callchat.core.spi.Deadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineTest {
    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void remainingShrinksWithTheTimerAndNeverGoesNegative() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(2), nanos::get);

        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(deadline.remaining()).isEqualTo(Duration.ofMillis(1500));
        assertThat(deadline.expired()).isFalse();

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(deadline.remaining()).isZero();
        assertThat(deadline.expired()).isTrue();
        assertThat(deadline.budget()).isEqualTo(Duration.ofSeconds(2));
    }
}

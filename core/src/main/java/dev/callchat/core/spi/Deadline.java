package dev.callchat.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How long the upstream part of one login may still take, retries and waits included.
 * {@code CallSessionService} starts one per login from {@code Config.loginDeadline()} and hands it
 * to the {@link ChatroomDirectory} and {@link ParticipantRoster}, so the whole login shares one budget.
 *
 * <p>Measured on a monotonic timer ({@link System#nanoTime()}), not on the injected {@code Clock}:
 * it bounds real waiting (sockets, back-off sleeps), which a fixed test clock must not freeze.
 */
public final class Deadline {
    private final LongSupplier nanoTime;
    private final long endNanos;
    private final Duration budget;

    private Deadline(Duration budget, LongSupplier nanoTime) {
        this.budget = budget;
        this.nanoTime = nanoTime;
        this.endNanos = nanoTime.getAsLong() + budget.toNanos();
    }

    /**
     * @param budget how long from now
     * @return a deadline that far from now
     */
    public static Deadline after(Duration budget) {
        return after(budget, System::nanoTime);
    }

    /**
     * @param budget   how long from now
     * @param nanoTime the monotonic time source, in nanoseconds (tests may drive it)
     * @return a deadline that far from now on the given timer
     */
    public static Deadline after(Duration budget, LongSupplier nanoTime) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(nanoTime, "nanoTime");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative");
        }
        return new Deadline(budget, nanoTime);
    }

    /** @return the time left, never negative */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - nanoTime.getAsLong()));
    }

    /** @return whether no time is left */
    public boolean expired() {
        return endNanos - nanoTime.getAsLong() <= 0;
    }

    /** @return the budget this deadline was started with */
    public Duration budget() {
        return budget;
    }

    @Override
    public String toString() {
        return "Deadline[budget=" + budget + ", remaining=" + remaining() + "]";
    }
}

package dev.callchat.twilio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * A hand-driven time source and timer for the {@link ConversationPacer}: nothing runs until the test
 * calls {@link #advance}, and queued work runs on the test's thread.
 */
final class ManualTime implements LongSupplier, ConversationPacer.Timer {
    private record Due(long at, long order, Runnable task) {
    }

    private final List<Due> due = new ArrayList<>();
    private long now = 1_000_000_000_000L;
    private long order;

    @Override
    public synchronized long getAsLong() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        due.add(new Due(now + Math.max(0, delayNanos), order++, task));
    }

    /** @return an executor that runs on the calling thread */
    Executor directExecutor() {
        return Runnable::run;
    }

    /** Moves time on by {@code nanos} in 1 ms steps, running every task as it falls due. */
    void advance(long nanos) {
        long end;
        synchronized (this) {
            end = now + nanos;
        }
        while (true) {
            Due next;
            synchronized (this) {
                next = due.stream().min(Comparator.comparingLong(Due::at).thenComparingLong(Due::order)).orElse(null);
                if (next == null || next.at() > end) {
                    now = end;
                    return;
                }
                due.remove(next);
                now = Math.max(now, next.at());
            }
            next.task().run();
        }
    }

    /** @return tasks waiting for their time */
    synchronized int pending() {
        return due.size();
    }
}

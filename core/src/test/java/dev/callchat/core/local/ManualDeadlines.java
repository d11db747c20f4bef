package dev.callchat.core.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Deadlines that fire only when a test says so. */
final class ManualDeadlines implements Deadlines {
    private final List<Runnable> pending = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized Runnable schedule(Duration delay, Runnable task) {
        pending.add(task);
        return () -> {
            synchronized (this) {
                pending.remove(task);
            }
        };
    }

    /** Runs every task not yet cancelled, as if their time had come. */
    void fireAll() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(pending);
            pending.clear();
        }
        due.forEach(Runnable::run);
    }

    synchronized int pending() {
        return pending.size();
    }

    synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        pending.clear();
    }
}

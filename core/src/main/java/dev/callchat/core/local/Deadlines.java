package dev.callchat.core.local;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Runs the hub's timers. Tests substitute a manual one to fire deadlines without waiting. */
interface Deadlines extends AutoCloseable {
    /**
     * @param delay how long from now
     * @param task  what to run then
     * @return cancels the task if it has not run yet
     */
    Runnable schedule(Duration delay, Runnable task);

    /** Stops the timer threads; pending tasks are dropped. */
    @Override
    void close();

    /** @return timers on one daemon thread, so a forgotten hub never keeps the JVM alive */
    static Deadlines daemon() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("callchat-local-hub-timer");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return new Deadlines() {
            @Override
            public Runnable schedule(Duration delay, Runnable task) {
                try {
                    ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> future.cancel(false);
                } catch (RejectedExecutionException shutDown) {
                    return () -> { };
                }
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }
}

package dev.callchat.core.http;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread pools adapters run core on, off their event loops: logins may wait for Twilio, and uploads are
 * read blocking. For adapters (see {@code docs/architecture.md}); applications never need it.
 */
public final class Threads {
    /** Concurrent core calls an adapter allows (logins wait for Twilio for tens of ms each). */
    public static final int WORKERS = 256;

    private Threads() {
    }

    /**
     * Up to {@code max} daemon threads, made only when no idle one can take the task and retired after 30 s
     * idle, so an idle pool costs nothing; at {@code max}, tasks wait in line. (A plain ThreadPoolExecutor
     * starts a new thread for every task until its core size is reached, idle ones or not.)
     *
     * @param name the threads' name
     * @param max  the most threads at once
     * @return the pool; the caller shuts it down, if ever (its threads do not keep the JVM alive)
     */
    public static ExecutorService pool(String name, int max) {
        LinkedTransferQueue<Runnable> queue = new LinkedTransferQueue<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean offer(Runnable task) {
                return tryTransfer(task); // to an idle thread, else the executor adds one
            }
        };
        return new ThreadPoolExecutor(0, max, 30, TimeUnit.SECONDS, queue, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        }, (task, pool) -> {
            if (!pool.isShutdown()) {
                queue.put(task); // all threads busy: wait for one
            }
        });
    }
}

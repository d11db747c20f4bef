package dev.callchat.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands room events to the application's {@link RoomEvents} on one thread of its own, through a bounded
 * queue. Offering never blocks: a full queue drops the event and counts it, because a slow listener must
 * not stall the hub's rooms or logins (docs/embedding.md#room-events).
 */
final class RoomEventQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoomEventQueue.class);
    static final int ATTEMPTS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final RoomEvents listener;
    private final BlockingQueue<RoomEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Set while the queue is full and a drop was logged, so a burst logs once. */
    private final AtomicBoolean dropLogged = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closing;

    RoomEventQueue(RoomEvents listener, int capacity) {
        this.listener = listener;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "callchat-room-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** Never blocks. */
    void offer(RoomEvent event) {
        if (closing || !queue.offer(event)) {
            dropped.incrementAndGet();
            if (dropLogged.compareAndSet(false, true)) {
                LOG.warn("Room events are arriving faster than the application's RoomEvents listener takes them;"
                        + " dropping them until it catches up (droppedRoomEvents counts them)");
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    long failed() {
        return failed.get();
    }

    private void run() {
        try {
            while (!closing || !queue.isEmpty()) {
                RoomEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
                if (event != null) {
                    deliver(event);
                    if (queue.isEmpty()) {
                        dropLogged.set(false);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(RoomEvent event) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                listener.accept(event);
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    failed.incrementAndGet();
                    LOG.warn("The RoomEvents listener failed {} times on event {} ({}); giving up on it", ATTEMPTS,
                            event.id(), event.type(), e);
                    return;
                }
                LOG.debug("The RoomEvents listener failed on event {}; delivering it again", event.id(), e);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(4);
            }
        }
    }

    /** Delivers what is queued for up to a few seconds, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(CLOSE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}

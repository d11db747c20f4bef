package dev.callchat.twilio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps one instance's actions on each conversation under Twilio's per-conversation limit (30
 * actions per second: participant create/update/delete, message create, conversation update; see
 * docs/twilio-limits.md), shared by every login of that conversation instead of each login
 * retrying on its own.
 *
 * <p>One lane per conversation SID spaces actions evenly at its current rate, with a burst of two at
 * most: Twilio does not say how it measures "per second", so the pacer assumes the strictest reading
 * (any one-second span) and keeps ceiling + 2 below the limit. An action runs on the caller's thread when its lane is free now
 * ({@link #tryAcquire}); otherwise it waits in the lane's queue and a timer hands it to the
 * worker pool when its slot comes. The rate adapts AIMD-style, so that several instances sharing
 * one account converge on a share of the limit: a 429 halves it (at most once per second, the span
 * Twilio counts over), each success adds a little back, never above {@code ceiling}.
 *
 * <p>Bounded: at most {@code maxQueued} actions wait in all lanes together; lanes with nothing
 * queued or running are dropped after {@code idleNanos}. Time comes from an injected nanosecond
 * source and timer, so tests drive it without waiting. Not Bucket4j: its buckets refill at a fixed
 * rate and would need their configuration replaced on every 429 and success; the scheduled queue
 * this needs anyway already is the pacer.
 */
final class ConversationPacer {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationPacer.class);
    private static final long SECOND = 1_000_000_000L;

    /** Schedules a task after a delay (a real scheduler in production, a hand-driven one in tests). */
    @FunctionalInterface
    interface Timer {
        void schedule(Runnable task, long delayNanos);
    }

    /** What a queued action reports back. */
    enum Outcome {
        /** Done (succeeded, or failed in a way pacing cannot help): drop it. */
        DONE,
        /** Twilio answered 429: not processed, safe to retry; the pacer slows down and requeues it. */
        THROTTLED
    }

    /** An action on one conversation, run at most once per slot. */
    @FunctionalInterface
    interface Action {
        Outcome run();
    }

    /**
     * @param ceiling            most actions per second per conversation this instance ever takes
     * @param floor              fewest actions per second a lane slows down to
     * @param increasePerSuccess actions per second added back per successful action
     * @param maxQueued          most actions waiting in all lanes together
     * @param idleNanos          how long an idle lane (nothing queued or running) is kept, remembering its rate
     */
    record Settings(double ceiling, double floor, double increasePerSuccess, int maxQueued, long idleNanos) {
        Settings {
            if (!(floor > 0) || ceiling < floor || increasePerSuccess < 0 || maxQueued < 0 || idleNanos < 0) {
                throw new IllegalArgumentException("invalid pacer settings");
            }
        }

        /**
         * @param limit Twilio's documented actions per second per conversation
         * @return production settings: 93 % of the limit (at 30, any one-second span then sees at most 29 with
         * the burst of two, leaving room for timing jitter between us and Twilio), down to 1 per second under
         * throttling, +0.5/s per success, 10,000 queued actions, lanes kept 60 s
         */
        static Settings forLimit(int limit) {
            return new Settings(limit * 0.93, Math.min(1.0, limit * 0.93), 0.5, 10_000, 60 * SECOND);
        }
    }

    private final Settings settings;
    private final LongSupplier nanoTime;
    private final Timer timer;
    private final Executor workers;
    private final LongConsumer waited;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile long lastSweep;

    ConversationPacer(Settings settings, LongSupplier nanoTime, Timer timer, Executor workers) {
        this(settings, nanoTime, timer, workers, waitedNanos -> { });
    }

    /**
     * @param waited told, when a queued action leaves the queue for a worker, how many nanoseconds it waited
     *               (the enrollment-wait meter); runs on the timer thread, so it must be quick
     */
    ConversationPacer(Settings settings, LongSupplier nanoTime, Timer timer, Executor workers, LongConsumer waited) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.waited = Objects.requireNonNull(waited, "waited");
        this.lastSweep = nanoTime.getAsLong();
    }

    /**
     * Takes the conversation's next slot if it is free now and nobody is queued before us: the
     * caller then runs its action itself and reports with {@link #record}.
     *
     * @return whether the caller may act now
     */
    boolean tryAcquire(String conversationSid) {
        return lane(conversationSid).tryAcquire(nanoTime.getAsLong());
    }

    /**
     * Queues an action to run at the conversation's next free slot.
     *
     * @param first whether it goes before the others (a throttled action keeps its place)
     * @return false when the queue is full (the action will not run)
     */
    boolean enqueue(String conversationSid, Action action, boolean first) {
        if (queued.incrementAndGet() > settings.maxQueued()) {
            queued.decrementAndGet();
            return false;
        }
        lane(conversationSid).enqueue(action, first, nanoTime.getAsLong());
        return true;
    }

    /** Adapts the conversation's rate to how an action taken with {@link #tryAcquire} went. */
    void record(String conversationSid, Outcome outcome) {
        lane(conversationSid).adapt(outcome, nanoTime.getAsLong());
    }

    /** @return the conversation's current rate in actions per second (the ceiling for an unknown one) */
    double rate(String conversationSid) {
        Lane lane = lanes.get(conversationSid);
        return lane == null ? settings.ceiling() : lane.rate();
    }

    /** @return actions waiting in all lanes */
    int queued() {
        return queued.get();
    }

    /** @return conversations with a lane (busy or remembered) */
    int lanes() {
        return lanes.size();
    }

    private Lane lane(String conversationSid) {
        long now = nanoTime.getAsLong();
        if (now - lastSweep > SECOND) {
            lastSweep = now;
            lanes.values().removeIf(lane -> lane.idleSince(now) > settings.idleNanos());
        }
        return lanes.computeIfAbsent(conversationSid, sid -> new Lane(sid, now));
    }

    /** A queued action and when it joined the queue. */
    private record Queued(Action action, long since) {
    }

    /** One conversation's schedule: the next free slot, its rate and its queue. */
    private final class Lane {
        private final String conversationSid;
        private final Deque<Queued> waiting = new ArrayDeque<>();
        private double rate = settings.ceiling();
        private long nextFree;
        private long lastDecrease;
        private long lastUse;
        private int running;
        private boolean pumpScheduled;

        Lane(String conversationSid, long now) {
            this.conversationSid = conversationSid;
            this.nextFree = now;
            this.lastDecrease = now - SECOND;
            this.lastUse = now;
        }

        synchronized double rate() {
            return rate;
        }

        /** @return nanoseconds since the lane last had anything to do, or 0 while it is busy */
        synchronized long idleSince(long now) {
            return !waiting.isEmpty() || running > 0 || pumpScheduled ? 0 : now - Math.max(lastUse, nextFree);
        }

        synchronized boolean tryAcquire(long now) {
            lastUse = now;
            // One interval of tolerance: two people joining a quiet room within a few milliseconds both
            // enroll at once, and any one-second span still sees at most ceiling + 2 actions.
            if (!waiting.isEmpty() || nextFree > now + interval()) {
                return false;
            }
            take(now);
            return true;
        }

        synchronized void enqueue(Action action, boolean first, long now) {
            lastUse = now;
            Queued entry = new Queued(action, now);
            if (first) {
                waiting.addFirst(entry);
            } else {
                waiting.addLast(entry);
            }
            schedulePump(now);
        }

        synchronized void adapt(Outcome outcome, long now) {
            lastUse = now;
            if (outcome == Outcome.DONE) {
                rate = Math.min(settings.ceiling(), rate + settings.increasePerSuccess());
            } else if (now - lastDecrease >= SECOND) {
                // Once per second: the 429s of actions already under way say the same thing again.
                lastDecrease = now;
                double before = rate;
                rate = Math.max(settings.floor(), rate / 2);
                nextFree = Math.max(nextFree, now + interval());
                LOG.debug("Twilio throttled conversation {}: {} -> {} actions/s", conversationSid, before, rate);
            }
        }

        /** Claims the slot at {@code now}; the next one is an interval later (with catch-up of at most one interval). */
        private void take(long now) {
            long interval = interval();
            nextFree = Math.max(nextFree, now - interval) + interval;
        }

        private long interval() {
            return (long) (SECOND / rate);
        }

        private void schedulePump(long now) {
            if (!pumpScheduled && !waiting.isEmpty()) {
                pumpScheduled = true;
                timer.schedule(this::pump, Math.max(0, nextFree - now));
            }
        }

        /** Timer thread: hands the first waiting action to a worker if its slot has come. */
        private void pump() {
            Action action;
            long waitedNanos;
            synchronized (this) {
                pumpScheduled = false;
                long now = nanoTime.getAsLong();
                if (waiting.isEmpty()) {
                    return;
                }
                if (nextFree > now) {
                    schedulePump(now);
                    return;
                }
                Queued entry = waiting.pollFirst();
                action = entry.action();
                waitedNanos = now - entry.since();
                queued.decrementAndGet();
                take(now);
                running++;
                schedulePump(now);
            }
            waited.accept(waitedNanos);
            try {
                workers.execute(() -> runQueued(action));
            } catch (RejectedExecutionException shutDown) {
                synchronized (this) {
                    running--;
                }
            }
        }

        private void runQueued(Action action) {
            Outcome outcome;
            try {
                outcome = action.run();
            } catch (RuntimeException e) {
                LOG.warn("A queued action on conversation {} failed", conversationSid, e);
                outcome = Outcome.DONE;
            }
            long now = nanoTime.getAsLong();
            synchronized (this) {
                running--;
            }
            adapt(outcome, now);
            if (outcome == Outcome.THROTTLED) {
                // "Never processed and always safe to retry": it keeps its place at the head of the queue.
                queued.incrementAndGet();
                enqueue(action, true, now);
            }
        }
    }
}

package dev.callchat.testing.reliability;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts login outcomes of a run by kind ({@code chat}, {@code video-only}, {@code 503}, …) and
 * prints them as one line for the build log. Thread-safe.
 */
public final class LoginTally {
    /** A login that returned a token with chat. */
    public static final String CHAT = "chat";
    /** A login that returned a video-only token. */
    public static final String VIDEO_ONLY = "video-only";

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** @param outcome the kind of one login's outcome */
    public void add(String outcome) {
        counts.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * @param outcome a kind
     * @return how many logins had it
     */
    public int count(String outcome) {
        AtomicInteger n = counts.get(outcome);
        return n == null ? 0 : n.get();
    }

    /** @return all logins counted */
    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** @return logins that returned a token, with or without chat */
    public int succeeded() {
        return count(CHAT) + count(VIDEO_ONLY);
    }

    /** @return {@link #succeeded()} as a fraction of {@link #total()} */
    public double successShare() {
        return total() == 0 ? 0 : (double) succeeded() / total();
    }

    /** @return logins with chat as a fraction of {@link #total()} */
    public double chatShare() {
        return total() == 0 ? 0 : (double) count(CHAT) / total();
    }

    /** @return every kind with its count, sorted */
    public Map<String, Integer> counts() {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /**
     * Prints one line to {@code System.out}, which the build log keeps.
     *
     * @param run   what was measured
     * @param extra more figures, appended as given
     */
    public void print(String run, String extra) {
        System.out.printf("[reliability] %s: logins=%d succeeded=%.4f%% chat=%.4f%% outcomes=%s %s%n", run, total(),
                100 * successShare(), 100 * chatShare(), counts(), extra);
    }
}

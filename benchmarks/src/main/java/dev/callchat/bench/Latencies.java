package dev.callchat.bench;

import java.util.Arrays;

/**
 * Raw latency samples in nanoseconds and their exact percentiles. One instance per recording
 * thread (not thread-safe); {@link #merge} combines them after the threads have finished.
 */
final class Latencies {
    private long[] samples;
    private int size;

    Latencies(int expected) {
        samples = new long[Math.max(16, expected)];
    }

    void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[size++] = nanos;
    }

    int count() {
        return size;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        int total = 0;
        for (Latencies part : parts) {
            total += part.size;
        }
        Latencies all = new Latencies(total);
        for (Latencies part : parts) {
            System.arraycopy(part.samples, 0, all.samples, all.size, part.size);
            all.size += part.size;
        }
        return all;
    }

    /**
     * @param percentile between 0 and 100
     * @return the nearest-rank percentile in nanoseconds, or 0 when there are no samples
     */
    long percentile(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be within 0..100: " + percentile);
        }
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.max(0, rank - 1)];
    }

    static String millis(long nanos) {
        double ms = nanos / 1_000_000.0;
        return ms >= 100 ? String.format("%.0f ms", ms) : ms >= 10 ? String.format("%.1f ms", ms)
                : String.format("%.2f ms", ms);
    }
}

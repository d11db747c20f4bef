package dev.callchat.testing.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Live threads and open file descriptors of this JVM, and a bounded wait for them to return to a
 * baseline. Reused by the adapters' reliability tests (callchat-test).
 *
 * <p>ForkJoinPool common-pool workers are left out: Caffeine and the JDK park work there and the
 * pool retires idle workers only after a minute, whoever started them.
 *
 * @param threads live threads, common-pool workers excluded
 * @param fds     entries of {@code /proc/self/fd}, or -1 where there is no procfs
 */
public record ProcessResources(int threads, int fds) {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    /** @return the current counts */
    public static ProcessResources now() {
        return new ProcessResources(threadNames().size(), countFds());
    }

    /**
     * Polls (every 50 ms, for at most {@code wait}) until both counts are within {@code slack} of
     * {@code baseline}.
     *
     * @param baseline the counts before the run
     * @param slack    how many more threads or descriptors are tolerated
     * @param wait     the most to wait
     * @return the last counts seen (within slack, unless {@code wait} ran out)
     */
    public static ProcessResources awaitBaseline(ProcessResources baseline, int slack, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        ProcessResources current = now();
        while (!current.within(baseline, slack) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = now();
        }
        return current;
    }

    /**
     * @param baseline counts to compare with
     * @param slack    tolerated excess
     * @return whether neither count exceeds the baseline by more than the slack
     */
    public boolean within(ProcessResources baseline, int slack) {
        return threads <= baseline.threads + slack && (fds < 0 || fds <= baseline.fds + slack);
    }

    /** @return names of the live threads counted by {@link #threads} (for failure messages) */
    public static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> !name.startsWith("ForkJoinPool.commonPool-worker"))
                .sorted()
                .toList();
    }

    /** @return the live threads according to the JVM's thread bean, common-pool workers included */
    public static int jvmThreadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static int countFds() {
        if (!Files.isDirectory(FD_DIR)) {
            return -1;
        }
        try (Stream<Path> entries = Files.list(FD_DIR)) {
            // The listing itself holds one descriptor while it runs.
            return (int) entries.count() - 1;
        } catch (IOException e) {
            return -1;
        }
    }
}

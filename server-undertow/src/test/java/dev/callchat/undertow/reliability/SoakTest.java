package dev.callchat.undertow.reliability;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.FakeTwilio.FaultMix;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.testing.reliability.Clients;
import dev.callchat.testing.reliability.LoginTally;
import dev.callchat.testing.reliability.ProcessResources;
import dev.callchat.undertow.CallChatUndertow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A steady login rate against the Undertow server in twilio mode (fake Twilio: 5 ms latency, 2 %
 * random 429/5xx) for minutes, sampling heap after GC, threads and file descriptors every 10 s:
 * all three must stay flat. Not part of the build; run it with
 *
 * <pre>
 * mvn -B -pl core,server-undertow -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dcallchat.soak=true [-Dcallchat.soak.duration=PT5M] [-Dcallchat.soak.rate=50]
 * </pre>
 *
 * Identities come from a pool of 2,000 in 200 rooms, so the room and enrollment caches fill during
 * the first minute and a flat heap afterwards means nothing else accumulates.
 */
@EnabledIfSystemProperty(named = "callchat.soak", matches = "true")
class SoakTest {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final int IDENTITIES = 2000;
    private static final int ROOMS = 200;
    private static final int MAX_IN_FLIGHT = 64;

    private record Sample(long second, long logins, long heapAfterGcKb, int threads, int fds) {
    }

    @Test
    void heapThreadsAndDescriptorsStayFlatAtASteadyLoginRate() throws Exception {
        Duration duration = Duration.parse(System.getProperty("callchat.soak.duration", "PT5M"));
        int rate = Integer.getInteger("callchat.soak.rate", 50);
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        Clients clients = new Clients(clientThreads);
        ExecutorService users = Executors.newFixedThreadPool(MAX_IN_FLIGHT);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        LoginTally tally = new LoginTally();
        AtomicLong sent = new AtomicLong();
        AtomicLong latencyMicros = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        List<Sample> samples = new ArrayList<>();
        try (FakeTwilio fake = FakeTwilio.start()) {
            fake.latency(Duration.ofMillis(5));
            fake.randomFaults(new FaultMix(0.01, 0, 0.01, 0, Duration.ZERO, 0, 0, 5L));
            try (CallSessionService service = CallSessionService.create(fake.config(Map.of("CALLCHAT_LOGIN_RATE", "off")))) {
                CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
                URI base = server.baseUri();
                long started = System.nanoTime();
                ticker.scheduleAtFixedRate(() -> {
                    if (!inFlight.tryAcquire()) {
                        tally.add("skipped: " + MAX_IN_FLIGHT + " in flight");
                        return;
                    }
                    long n = sent.incrementAndGet();
                    users.submit(() -> {
                        long t0 = System.nanoTime();
                        try {
                            tally.add(clients.login(base, "user" + (n % IDENTITIES), "Room " + (n % ROOMS),
                                    Duration.ofSeconds(10)).outcome());
                        } catch (Exception e) {
                            tally.add(e.getClass().getSimpleName());
                        } finally {
                            latencyMicros.addAndGet((System.nanoTime() - t0) / 1000);
                            inFlight.release();
                        }
                    });
                }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);

                System.out.printf("[soak] %d logins/s for %s; second, logins, heap after GC (KiB), threads, fds%n", rate, duration);
                while (System.nanoTime() - started < duration.toNanos()) {
                    Thread.sleep(SAMPLE_EVERY.toMillis());
                    Sample sample = sample((System.nanoTime() - started) / 1_000_000_000L, tally.total());
                    samples.add(sample);
                    System.out.printf("[soak] %4d s %7d %9d %4d %4d%n", sample.second(), sample.logins(),
                            sample.heapAfterGcKb(), sample.threads(), sample.fds());
                }
                ticker.shutdownNow();
                users.shutdown();
                users.awaitTermination(30, TimeUnit.SECONDS);
                server.close();
            }
        } finally {
            ticker.shutdownNow();
            users.shutdownNow();
            clientThreads.shutdownNow();
        }
        tally.print("soak " + duration + " at " + rate + "/s", String.format("mean latency %.1f ms",
                latencyMicros.get() / 1000.0 / Math.max(1, tally.total())));

        // Flat: compare the second half with the first sample after the caches filled (the second one).
        assertThat(samples).hasSizeGreaterThanOrEqualTo(3);
        Sample reference = samples.get(1);
        List<Sample> late = samples.subList(samples.size() / 2, samples.size());
        long lateHeap = late.stream().mapToLong(Sample::heapAfterGcKb).max().orElseThrow();
        int lateThreads = late.stream().mapToInt(Sample::threads).max().orElseThrow();
        int lateFds = late.stream().mapToInt(Sample::fds).max().orElseThrow();
        System.out.printf("[soak] reference heap %d KiB, threads %d, fds %d; second half max heap %d KiB, threads %d, fds %d%n",
                reference.heapAfterGcKb(), reference.threads(), reference.fds(), lateHeap, lateThreads, lateFds);
        assertThat(tally.successShare()).isGreaterThanOrEqualTo(0.999);
        assertThat(lateHeap).isLessThanOrEqualTo(reference.heapAfterGcKb() * 12 / 10 + 8 * 1024);
        assertThat(lateThreads).isLessThanOrEqualTo(reference.threads() + 4);
        assertThat(lateFds).isLessThanOrEqualTo(reference.fds() + 16);
    }

    private static Sample sample(long second, long logins) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        ProcessResources resources = ProcessResources.now();
        return new Sample(second, logins, memory.getHeapMemoryUsage().getUsed() / 1024, resources.threads(), resources.fds());
    }
}

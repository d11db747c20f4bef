package dev.callchat.bench;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.core.local.HubLimits;
import dev.callchat.core.local.LocalProvider;
import dev.callchat.core.spi.HubConnection;
import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.RoomHub;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Section 6: the local provider's room hub, in process. Fifty fake {@link HubPeer}s join one room
 * through real logins and {@code auth} frames; one paced sender thread sends chat messages round-robin
 * through their {@link HubConnection}s, and each peer records when every chat frame reached it.
 *
 * <p>Peers complete their sends on two "I/O" threads, as an adapter's WebSocket does, so the hub's
 * bounded outbound queues and its slow-consumer rule (close 4408) are what is exercised. The
 * per-connection inbound rate limit is lifted: it would stop the sender long before the fan-out.
 */
final class HubSection {
    private static final int MEMBERS = 50;
    private static final int STEADY_RATE = 1_000;
    /** Offered messages/s, about ×1.4 per step: fine enough to place the limit within 40 %. */
    private static final int[] RAMP = {1_000, 2_000, 3_000, 4_000, 6_000, 8_000, 11_000, 16_000, 23_000, 32_000,
            45_000, 64_000};
    private static final int SLOW_CONSUMER = 4408;

    private final Settings settings;

    HubSection(Settings settings) {
        this.settings = settings;
    }

    /** One fake browser: records the delay of every chat frame it receives. */
    private static final class RecordingPeer implements HubPeer {
        private final ExecutorService io;
        private final long[] intended;
        private final Latencies latencies = new Latencies(1 << 12);
        private final AtomicLong chatFrames;
        private final AtomicInteger slowConsumerCloses;
        private volatile boolean welcomed;
        private volatile int closeCode;

        RecordingPeer(ExecutorService io, long[] intended, AtomicLong chatFrames, AtomicInteger slowConsumerCloses) {
            this.io = io;
            this.intended = intended;
            this.chatFrames = chatFrames;
            this.slowConsumerCloses = slowConsumerCloses;
        }

        @Override
        public void sendText(String frame, Consumer<Throwable> onDone) {
            io.execute(() -> {
                long received = System.nanoTime();
                // The hub keeps one send in flight per peer, so this peer's records never race.
                if (frame.startsWith("{\"type\":\"chat\"")) {
                    latencies.record(received - intended[sequence(frame)]);
                    chatFrames.incrementAndGet();
                } else if (frame.startsWith("{\"type\":\"welcome\"")) {
                    welcomed = true;
                }
                onDone.accept(null);
            });
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
            if (code == SLOW_CONSUMER) {
                slowConsumerCloses.incrementAndGet();
            }
        }

        private static int sequence(String chatFrame) {
            int start = chatFrame.indexOf("\"text\":\"") + 8;
            return Integer.parseInt(chatFrame, start, chatFrame.indexOf('"', start), 10);
        }
    }

    /** What one paced run of the room measured. */
    private record Step(int targetRate, double sentPerSecond, double deliveredPerSecond, Latencies latencies,
                        long delivered, long expected, int slowConsumerCloses) {
    }

    void run(Report report) throws InterruptedException {
        Report.Section section = report.section("6. Local hub: chat fan-out (in process, " + MEMBERS + " members)");
        Config config = Providers.localConfig();
        HubLimits limits = HubLimits.custom().messagesPerSecond(1_000_000).messageBurst(1_000_000).build();
        Duration steady = settings.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
        Duration rampStep = settings.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
        ExecutorService io = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "hub-io");
            t.setDaemon(true);
            return t;
        });
        try (CallSessionService service = CallSessionService.builder(config)
                .provider(LocalProvider.create(config, Clock.systemUTC(), limits)).build()) {
            RoomHub hub = service.localHub().orElseThrow();
            // Discarded: lets the JIT compile the hub's paths, which would otherwise dominate the p99.
            step(service, hub, io, "Hub Warm-up", STEADY_RATE, steady);
            Step steadyStep = step(service, hub, io, "Hub Steady", STEADY_RATE, steady);
            section.row(String.format("fan-out latency at %,d messages/s (%,d chat frames/s)", STEADY_RATE,
                            STEADY_RATE * MEMBERS),
                    String.format("p50 %s · p99 %s · max %s · %,d frames delivered of %,d", 
                            Latencies.millis(steadyStep.latencies().percentile(50)),
                            Latencies.millis(steadyStep.latencies().percentile(99)),
                            Latencies.millis(steadyStep.latencies().percentile(100)), steadyStep.delivered(),
                            steadyStep.expected()),
                    "- (reported); no slow-consumer disconnect",
                    Report.Verdict.of(steadyStep.slowConsumerCloses() == 0 && steadyStep.delivered() == steadyStep.expected()));

            Step best = null;
            String stoppedBy = "the ramp ended at " + String.format("%,d", RAMP[RAMP.length - 1]) + " messages/s without a disconnect";
            for (int rate : RAMP) {
                Step step = step(service, hub, io, "Hub Ramp " + rate, rate, rampStep);
                System.out.printf("[hub] %,d msg/s offered: %,.0f sent/s, %,.0f frames delivered/s, %d slow-consumer closes%n",
                        rate, step.sentPerSecond(), step.deliveredPerSecond(), step.slowConsumerCloses());
                if (step.slowConsumerCloses() > 0) {
                    stoppedBy = String.format("the first slow-consumer disconnect (4408) at %,d messages/s offered "
                            + "(%d of %d members dropped)", rate, step.slowConsumerCloses(), MEMBERS);
                    break;
                }
                best = step;
                if (step.sentPerSecond() < 0.9 * rate) {
                    stoppedBy = String.format("the single sender thread saturated at %,.0f messages/s (offered %,d) "
                            + "before any disconnect", step.sentPerSecond(), rate);
                    break;
                }
            }
            if (best == null) {
                section.row("highest delivery rate before the first slow-consumer disconnect",
                        "none: a member was dropped already at " + String.format("%,d", RAMP[0]) + " messages/s",
                        "- (reported)", Report.Verdict.INFO);
            } else {
                section.row("highest delivery rate before the first slow-consumer disconnect",
                        String.format("%,.0f chat frames/s delivered (%,.0f messages/s × %d members; p99 %s)",
                                best.deliveredPerSecond(), best.sentPerSecond(), MEMBERS,
                                Latencies.millis(best.latencies().percentile(99))),
                        "- (reported)", Report.Verdict.INFO);
            }
            section.note("Ramp: " + rampStep.toSeconds() + " s per step, offered rates " + java.util.Arrays.toString(RAMP)
                    + " messages/s, a fresh room each step; stopped by " + stoppedBy + ".");
        } finally {
            io.shutdownNow();
        }
        section.note("Latency is from a message's scheduled send time (so a lagging sender counts against the hub) "
                + "to its frame reaching a peer's I/O thread; every member, the author included, receives every message. "
                + "Two I/O threads complete the peers' sends asynchronously; outbound queue "
                + HubLimits.defaults().outboundQueueFrames() + " frames (the default); inbound rate limit lifted.");
    }

    private Step step(CallSessionService service, RoomHub hub, ExecutorService io, String room, int rate,
                      Duration duration) throws InterruptedException {
        int messages = (int) (rate * duration.toMillis() / 1000);
        long[] intended = new long[messages];
        AtomicLong chatFrames = new AtomicLong();
        AtomicInteger slow = new AtomicInteger();
        List<RecordingPeer> peers = new ArrayList<>();
        List<HubConnection> connections = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            String token = service.login(LoginRequest.of("member" + m, room)).token();
            RecordingPeer peer = new RecordingPeer(io, intended, chatFrames, slow);
            HubConnection connection = hub.connect(peer);
            connection.onText("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
            peers.add(peer);
            connections.add(connection);
        }
        awaitWelcomes(peers);

        long start = System.nanoTime() + 10_000_000;
        double interval = 1e9 / rate;
        for (int i = 0; i < messages; i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            intended[i] = due;
            connections.get(i % MEMBERS).onText("{\"type\":\"chat\",\"text\":\"" + i + "\"}");
        }
        long sendEnd = System.nanoTime();
        long expected = (long) messages * MEMBERS;
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (chatFrames.get() < expected && slow.get() == 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(5);
        }
        long end = System.nanoTime();
        connections.forEach(HubConnection::onClose);
        quiesce(io);
        List<Latencies> parts = new ArrayList<>();
        for (RecordingPeer peer : peers) {
            parts.add(peer.latencies);
        }
        return new Step(rate, messages / ((sendEnd - start) / 1e9), chatFrames.get() / ((end - start) / 1e9),
                Latencies.merge(parts), chatFrames.get(), expected, slow.get());
    }

    /** Returns once both I/O threads have finished what they were doing, so the peers' records are complete. */
    private static void quiesce(ExecutorService io) throws InterruptedException {
        java.util.concurrent.CyclicBarrier bothIdle = new java.util.concurrent.CyclicBarrier(3);
        for (int i = 0; i < 2; i++) {
            io.execute(() -> {
                try {
                    bothIdle.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the step reports what was recorded
                }
            });
        }
        try {
            bothIdle.await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
            // the step reports what was recorded
        }
    }

    private static void awaitWelcomes(List<RecordingPeer> peers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (RecordingPeer peer : peers) {
            while (!peer.welcomed) {
                if (peer.closeCode != 0 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("a fake peer was not welcomed into the room (close code "
                            + peer.closeCode + ")");
                }
                Thread.sleep(1);
            }
        }
    }
}

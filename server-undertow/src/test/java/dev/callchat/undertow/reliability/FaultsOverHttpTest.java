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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logins over real HTTP through the Undertow server, in twilio mode, while the fake Twilio answers
 * a seeded random share of calls with faults. Production retry and breaker settings (the server
 * builds its service from configuration). Afterwards the JVM's threads and file descriptors must
 * return to where they were. Figures go to the build log.
 */
class FaultsOverHttpTest {
    private static final int CONCURRENCY = 16;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(50);
    private static final int SLACK = 3;

    /** The login client's threads: created once, before any baseline, so they are part of it. */
    private static final ExecutorService CLIENT_THREADS = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "reliability-http-client");
        t.setDaemon(true);
        return t;
    });
    private static final Clients CLIENTS = new Clients(CLIENT_THREADS);

    /** Loads every class a run needs, so the baseline's open jar files are those of the run's end. */
    @BeforeAll
    static void warmUp() throws Exception {
        run(new FaultMix(0.1, 0, 0.1, 0.02, Duration.ofSeconds(1), 0.02, 0.02, 1L), Map.of(), 40, null);
    }

    @Test
    void withTwentyPercent429And5xxAtLeast999In1000LoginsSucceedAndResourcesReturnToBaseline() throws Exception {
        ProcessResources before = ProcessResources.now();

        LoginTally tally = run(new FaultMix(0.10, 0, 0.10, 0, Duration.ZERO, 0, 0, 42L), Map.of(), 1000,
                "http, 10% 429 + 10% 500/503");

        ProcessResources after = ProcessResources.awaitBaseline(before, SLACK, Duration.ofSeconds(20));
        System.out.printf("[reliability] resources: before %s, after %s (slack %d)%n", before, after, SLACK);
        assertThat(tally.total()).isEqualTo(1000);
        assertThat(tally.successShare()).isGreaterThanOrEqualTo(0.999);
        assertThat(tally.count("leaked 5xx")).isZero();
        assertThat(after.within(before, SLACK)).as("back to baseline %s, now %s, threads %s", before, after,
                ProcessResources.threadNames()).isTrue();
    }

    @Test
    void withEveryFaultKindMixedInNoLoginFailsAndNo5xxLeaks() throws Exception {
        LoginTally tally = run(new FaultMix(0.20, 0, 0.20, 0.05, Duration.ofSeconds(5), 0.02, 0.02, 7L), Map.of(), 600,
                "http, 20% 429 + 20% 5xx + 5% stalls + 2% resets + 2% malformed");

        assertThat(tally.successShare()).isGreaterThanOrEqualTo(0.999);
        assertThat(tally.count("leaked 5xx")).isZero();
    }

    @Test
    void withChatRequiredEveryFailureIsADocumented503ProblemWithRetryAfter() throws Exception {
        ProcessResources before = ProcessResources.now();

        LoginTally tally = run(new FaultMix(0.20, 1, 0.20, 0.05, Duration.ofSeconds(5), 0.02, 0.02, 11L),
                Map.of("CALLCHAT_CHAT_REQUIRED", "true"), 400, "http, chat required, every fault kind, Retry-After: 1");

        ProcessResources after = ProcessResources.awaitBaseline(before, SLACK, Duration.ofSeconds(20));
        System.out.printf("[reliability] resources: before %s, after %s (slack %d)%n", before, after, SLACK);
        assertThat(tally.counts().keySet()).isSubsetOf("chat", "503 application/problem+json +Retry-After");
        assertThat(tally.count("chat")).isGreaterThanOrEqualTo(400 * 85 / 100);
        assertThat(after.within(before, SLACK)).as("back to baseline %s, now %s, threads %s", before, after,
                ProcessResources.threadNames()).isTrue();
    }

    /** @return outcomes: chat, video-only, "STATUS media-type [+Retry-After]", "leaked 5xx" in addition for bad 5xx */
    private static LoginTally run(FaultMix mix, Map<String, String> overrides, int logins, String name) throws Exception {
        LoginTally tally = new LoginTally();
        Set<String> leaks = ConcurrentHashMap.newKeySet();
        long started = System.nanoTime();
        ExecutorService users = Executors.newFixedThreadPool(CONCURRENCY);
        try (FakeTwilio fake = FakeTwilio.start()) {
            Map<String, String> env = new HashMap<>(Map.of("CALLCHAT_LOGIN_RATE", "off", "CALLCHAT_UPSTREAM_TIMEOUT", "300ms",
                    "CALLCHAT_LOGIN_DEADLINE", "5s"));
            env.putAll(overrides);
            try (CallSessionService service = CallSessionService.create(fake.config(env))) {
                CallChatUndertow server = CallChatUndertow.start(ServerConfig.builder().port(0).build(), new CallChatHttp(service));
                try {
                    fake.randomFaults(mix);
                    URI base = server.baseUri();
                    List<Future<?>> pending = new ArrayList<>();
                    for (int i = 0; i < logins; i++) {
                        String user = "user" + i;
                        String room = "Room " + (i % 40);
                        pending.add(users.submit(() -> {
                            Clients.Answer answer = CLIENTS.login(base, user, room, Duration.ofSeconds(15));
                            tally.add(answer.outcome());
                            if (answer.leaked5xx()) {
                                tally.add("leaked 5xx");
                                leaks.add(answer.toString());
                            }
                            return null;
                        }));
                    }
                    long limit = System.nanoTime() + RUN_LIMIT.toNanos();
                    for (Future<?> login : pending) {
                        login.get(Math.max(1, limit - System.nanoTime()), TimeUnit.NANOSECONDS);
                    }
                } finally {
                    server.close();
                }
                if (name != null) {
                    tally.print(name, "upstream calls=" + fake.totalCalls() + " injected=" + fake.injectedFaults()
                            + " wall=" + (System.nanoTime() - started) / 1_000_000 + "ms" + (leaks.isEmpty() ? "" : " leaks=" + leaks));
                }
            }
        } finally {
            users.shutdownNow();
            users.awaitTermination(10, TimeUnit.SECONDS);
        }
        return tally;
    }
}

package dev.callchat.bench;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.ChatStatus;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.testing.FakeTwilio;
import dev.callchat.twilio.TwilioProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Section 7: a town hall. 300 distinct users log into one existing room at once, against the fake
 * Twilio with its latency and Twilio's 30 actions per second per conversation, through one instance
 * and through two instances (two {@link CallSessionService}s with their own providers, sharing the
 * fake as two servers share one Twilio account). Witnesses: each login's time to token, the fake's
 * participant list (polled every 10 ms) and its count of 429 answers.
 */
final class JoinSection {
    private static final int USERS = 300;
    private static final Duration ENROLL_LIMIT = Duration.ofSeconds(60);

    private final Settings settings;

    JoinSection(Settings settings) {
        this.settings = settings;
    }

    /** What one town hall showed. */
    private record Outcome(Latencies tokens, int enrolled, Duration lastEnrolled, int participantCalls, int throttled,
                           int pendingAtLogin, int videoOnly) {
        double throttledShare() {
            return participantCalls == 0 ? 0 : (double) throttled / participantCalls;
        }
    }

    void run(Report report) throws Exception {
        Report.Section section = report.section("7. Joins paced to Twilio's limits (300 users, one room, at once)");
        int users = settings.quick() ? 60 : USERS;

        // A first, discarded crowd loads and compiles the login path (twilio-java, Jackson, the HTTP pool):
        // the rows measure pacing, not class loading.
        townHall(60, 1);
        Outcome one = townHall(users, 1);
        section.row(String.format("%d users, one instance: time to token", users), summary(one.tokens()),
                "p99 ≤ 1 s", Report.Verdict.of(one.tokens().percentile(99) <= Duration.ofSeconds(1).toNanos()));
        section.row(String.format("%d users, one instance: chat enrollment", users), enrolment(one, users),
                "all enrolled, the last within 12 s; 429s ≤ 1 % of participant calls",
                Report.Verdict.of(one.enrolled() == users && one.lastEnrolled().compareTo(Duration.ofSeconds(12)) <= 0
                        && one.throttledShare() <= 0.01));

        Outcome two = townHall(users, 2);
        section.row(String.format("%d users, two instances: time to token", users), summary(two.tokens()), "-",
                Report.Verdict.INFO);
        section.row(String.format("%d users, two instances sharing one account: chat enrollment", users),
                enrolment(two, users), "all enrolled within 15 s; 429s ≤ 20 % of participant calls",
                Report.Verdict.of(two.enrolled() == users && two.lastEnrolled().compareTo(Duration.ofSeconds(15)) <= 0
                        && two.throttledShare() <= 0.20));

        section.note("One discarded crowd of 60 runs first (class loading and JIT). "
                + "The conversation exists before the crowd arrives (created at the fake, not cached by callchat). "
                + "All logins are released together by a latch, each on its own thread, calling CallSessionService.login "
                + "in this JVM; time to token is each login's own duration. Enrollment times run from the release to "
                + "the moment the fake's participant list (polled every 10 ms) holds everyone. Fake Twilio: "
                + settings.latency().toMillis() + " ms per call, 30 accepted actions per conversation in any one second, "
                + "429/20429 without Retry-After beyond. Two instances: two services with their own providers "
                + "(and pacers), half the users each, one fake.");
    }

    private static String summary(Latencies tokens) {
        return "p50 " + Latencies.millis(tokens.percentile(50)) + " · p99 " + Latencies.millis(tokens.percentile(99))
                + " · max " + Latencies.millis(tokens.percentile(100));
    }

    private static String enrolment(Outcome o, int users) {
        return String.format("%d of %d enrolled, the last after %.1f s · %d participant calls, %d answered 429 (%.1f %%)"
                        + " · %d logins answered chat pending, %d video-only",
                o.enrolled(), users, o.lastEnrolled().toMillis() / 1000.0, o.participantCalls(), o.throttled(),
                100 * o.throttledShare(), o.pendingAtLogin(), o.videoOnly());
    }

    private Outcome townHall(int users, int instances) throws Exception {
        String room = "Town Hall";
        try (FakeTwilio fake = FakeTwilio.start().latency(settings.latency())) {
            String sid = fake.createConversation(room);
            Config config = Providers.twilioConfig(fake.baseUrl().toString());
            List<CallSessionService> services = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(users);
            try {
                for (int i = 0; i < instances; i++) {
                    services.add(CallSessionService.builder(config)
                            .provider(TwilioProvider.create(config, Clock.systemUTC())).build());
                }
                CountDownLatch ready = new CountDownLatch(users);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<long[]>> logins = new ArrayList<>();
                for (int i = 0; i < users; i++) {
                    CallSessionService service = services.get(i % instances);
                    LoginRequest request = LoginRequest.of("attendee-" + i, room);
                    logins.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        long start = System.nanoTime();
                        CallSession session = service.login(request);
                        long took = System.nanoTime() - start;
                        return new long[]{took, session.chatStatus().ordinal()};
                    }));
                }
                ready.await(60, TimeUnit.SECONDS);
                long released = System.nanoTime();
                go.countDown();
                Latencies tokens = new Latencies(users);
                int pending = 0;
                int videoOnly = 0;
                for (Future<long[]> login : logins) {
                    long[] result = login.get(60, TimeUnit.SECONDS);
                    tokens.record(result[0]);
                    pending += result[1] == ChatStatus.PENDING.ordinal() ? 1 : 0;
                    videoOnly += result[1] == ChatStatus.UNAVAILABLE.ordinal() ? 1 : 0;
                }
                long limit = released + ENROLL_LIMIT.toNanos();
                int enrolled = fake.participants(sid).size();
                while (enrolled < users && System.nanoTime() < limit) {
                    Thread.sleep(10);
                    enrolled = fake.participants(sid).size();
                }
                Duration last = Duration.ofNanos(System.nanoTime() - released);
                System.out.printf("[joins] %d instance(s): %d/%d enrolled after %d ms, participant calls %d, 429s %d%n",
                        instances, enrolled, users, last.toMillis(), fake.calls(FakeTwilio.Route.CREATE_PARTICIPANT),
                        fake.throttled(FakeTwilio.Route.CREATE_PARTICIPANT));
                return new Outcome(tokens, enrolled, last, fake.calls(FakeTwilio.Route.CREATE_PARTICIPANT),
                        fake.throttled(FakeTwilio.Route.CREATE_PARTICIPANT), pending, videoOnly);
            } finally {
                pool.shutdownNow();
                services.forEach(CallSessionService::close);
            }
        }
    }
}

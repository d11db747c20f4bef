package dev.callchat.bench;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
import dev.callchat.twilio.TwilioProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Section 2: how many Twilio REST calls one login makes, read from the fake Twilio's per-route
 * counters, with 0, 1,000 and 10,000 conversations already in the account. A directory that listed
 * conversations would show up here as counts growing with the account.
 */
final class TwilioCallsSection {
    private static final String ROOM = "Budget Room";

    /** The four logins measured, with their budget (docs/architecture.md, "The login path"). */
    private enum Scenario {
        FIRST_LOGIN_NEW_ROOM("first login to a new room (fresh service)", 3),
        NEW_USER_KNOWN_ROOM("new user to a known room (fresh service)", 2),
        WARM_NEW_USER("warm new user (room cached)", 1),
        REFRESH("refresh (same user again)", 0);

        final String subject;
        final long budget;

        Scenario(String subject, long budget) {
            this.subject = subject;
            this.budget = budget;
        }
    }

    private final Settings settings;

    TwilioCallsSection(Settings settings) {
        this.settings = settings;
    }

    void run(Report report) {
        Report.Section section = report.section("2. Twilio calls per login (fake Twilio's per-route counters)");
        Map<Scenario, Long> baseline = new TreeMap<>();
        for (int conversations : settings.conversationCounts()) {
            Map<Scenario, Map<String, Long>> measured = measure(conversations);
            for (Scenario scenario : Scenario.values()) {
                Map<String, Long> calls = measured.get(scenario);
                long total = calls.values().stream().mapToLong(Long::longValue).sum();
                baseline.putIfAbsent(scenario, total);
                boolean independent = total == baseline.get(scenario);
                String target = scenario.budget == 0 ? "0" : scenario.budget == 1 ? "1"
                        : "≤ " + scenario.budget + ", same as with 0 conversations";
                boolean met = total <= scenario.budget && (scenario.budget > 1 ? independent : total == scenario.budget);
                section.row(String.format("%s, %,d conversations", scenario.subject, conversations),
                        total + (calls.isEmpty() ? "" : " " + calls), target, Report.Verdict.of(met));
            }
        }
        section.note("Each count is the difference of the fake's per-route counters around one "
                + "CallSessionService.login; the service uses core's Twilio provider against the fake (no added latency). "
                + "Budgets: docs/architecture.md, \"The login path\" (cold room ≤ 2, +1 when new; warm 1; refresh 0).");
    }

    private Map<Scenario, Map<String, Long>> measure(int conversations) {
        Map<Scenario, Map<String, Long>> result = new TreeMap<>();
        try (TwilioDouble twilio = FakeTwilioDouble.start(Duration.ZERO)) {
            twilio.seedConversations(conversations);
            Config config = Providers.twilioConfig(twilio.baseUrl().toString());
            try (CallSessionService first = service(config)) {
                result.put(Scenario.FIRST_LOGIN_NEW_ROOM, calls(twilio, () -> first.login(LoginRequest.of("ana", ROOM))));
            }
            try (CallSessionService fresh = service(config)) {
                result.put(Scenario.NEW_USER_KNOWN_ROOM, calls(twilio, () -> fresh.login(LoginRequest.of("bob", ROOM))));
                result.put(Scenario.WARM_NEW_USER, calls(twilio, () -> fresh.login(LoginRequest.of("carol", ROOM))));
                result.put(Scenario.REFRESH, calls(twilio, () -> fresh.login(LoginRequest.of("carol", ROOM))));
            }
        }
        return result;
    }

    private static CallSessionService service(Config config) {
        return CallSessionService.builder(config).provider(TwilioProvider.create(config, Clock.systemUTC())).build();
    }

    /** @return calls per route made while {@code login} ran */
    private static Map<String, Long> calls(TwilioDouble twilio, Runnable login) {
        Map<String, Long> before = twilio.callsByRoute();
        login.run();
        Map<String, Long> delta = new TreeMap<>();
        twilio.callsByRoute().forEach((route, count) -> {
            long d = count - before.getOrDefault(route, 0L);
            if (d != 0) {
                delta.put(route, d);
            }
        });
        return delta;
    }
}

package dev.callchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sections 3-5: each adapter's real jar as a child JVM, logging in over loopback against the fake
 * Twilio (started here, with added latency): throughput and latency, a stampede on one new room,
 * start-up time and resident memory.
 */
final class HttpSection {
    private static final String ROOM = "Bench Room";
    /**
     * Users are spread over this many rooms: Twilio holds at most 1,000 participants in one conversation (the fake
     * enforces it), and one room of the 20,000-odd users a run logs in would fill up, leaving every later login
     * video-only after a failed enrollment (one Twilio call even for a refresh) instead of measuring callchat.
     */
    private static final int ROOMS = 64;
    private static final double MIN_LOGINS_PER_SECOND = 2_000;
    private static final long MAX_REFRESH_P99_NANOS = 5_000_000;
    private static final long MAX_RSS_KIB = 256 * 1024;
    private static final int[] CLIENTS = {1, 16, 100};

    private record Adapter(String name, String branch, Path jar, Duration startupBudget) {
    }

    private record Phase(boolean refresh, int clients, LoadDriver.Result result, double callsPerLogin) {
        String subject() {
            return (refresh ? "refresh (same user again)" : "new users") + ", " + clients
                    + (clients == 1 ? " client" : " concurrent clients");
        }

        String value() {
            Latencies l = result.latencies();
            return String.format("%,.0f logins/s · p50 %s · p99 %s · %.2f Twilio calls/login · %d logins · failed: %s",
                    result.perSecond(), Latencies.millis(l.percentile(50)), Latencies.millis(l.percentile(99)),
                    callsPerLogin, result.requests(), result.describeFailures());
        }
    }

    /** Everything measured on one adapter; {@code unavailable} says why nothing was. */
    private record AdapterRun(Adapter adapter, String unavailable, List<Duration> startups, long rssKiB, long peakKiB,
                              long threads, int loginsBeforeRss, List<Phase> phases, LoadDriver.Result stampede,
                              long conversationsCreated) {
        static AdapterRun unavailable(Adapter adapter, String why) {
            return new AdapterRun(adapter, why, List.of(), 0, 0, 0, 0, List.of(), null, 0);
        }

        Duration medianStartup() {
            List<Duration> sorted = startups.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        Optional<Phase> phase(boolean refresh, int clients) {
            return phases.stream().filter(p -> p.refresh() == refresh && p.clients() == clients).findFirst();
        }
    }

    private final Settings settings;
    private final Path workDir;

    HttpSection(Settings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    void run(Report report) {
        List<Adapter> adapters = List.of(
                new Adapter("Undertow", "http", settings.undertowJar(), Duration.ofMillis(1_500)),
                new Adapter("Micronaut", "micronaut", settings.micronautJar(), Duration.ofSeconds(3)),
                new Adapter("Spring Boot", "spring", settings.springBootJar(), Duration.ofSeconds(4)));
        List<AdapterRun> runs = new ArrayList<>();
        for (Adapter adapter : adapters) {
            runs.add(measure(adapter));
        }
        loadSections(report, runs);
        comparison(report, runs);
        stampede(report, runs);
        startupAndMemory(report, runs);
    }

    private AdapterRun measure(Adapter adapter) {
        if (!Files.isRegularFile(adapter.jar())) {
            return AdapterRun.unavailable(adapter, adapter.jar() + " is not built (branch `" + adapter.branch()
                    + "` not merged yet?)");
        }
        System.out.println("[http] " + adapter.name() + ": launching " + adapter.jar());
        // Throughput of callchat itself: Twilio's per-conversation limit off on both sides (the joins
        // section measures logins under it).
        try (TwilioDouble twilio = FakeTwilioDouble.startUnlimited(settings.latency())) {
            // Extra launches only for the start-up time: one sample is at the mercy of the page cache.
            List<Duration> startups = new ArrayList<>();
            for (int i = 1; i < settings.startupSamples(); i++) {
                try (AdapterProcess process = launch(adapter, twilio)) {
                    startups.add(process.awaitHealthy(Duration.ofSeconds(60)));
                }
            }
            return measure(adapter, twilio, startups);
        } catch (IOException | RuntimeException e) {
            System.err.println("[http] " + adapter.name() + " failed: " + e);
            return AdapterRun.unavailable(adapter, "run failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AdapterRun.unavailable(adapter, "interrupted");
        }
    }

    private AdapterProcess launch(Adapter adapter, TwilioDouble twilio) throws IOException {
        String tag = adapter.name().toLowerCase(java.util.Locale.ROOT);
        return AdapterProcess.launch(adapter.name(), adapter.jar(), settings.adapterJvmFlags(),
                Map.of("TWILIO_ACCOUNT_SID", Providers.ACCOUNT_SID,
                        "TWILIO_API_KEY_SID", Providers.API_KEY_SID,
                        "TWILIO_API_KEY_SECRET", Providers.API_KEY_SECRET,
                        "TWILIO_API_BASE_URL", twilio.baseUrl().toString(),
                        "CALLCHAT_LOGIN_RATE", "off",
                        "CALLCHAT_TWILIO_ACTIONS_PER_SECOND", "1000000"),
                workDir.resolve("run-" + tag), workDir.resolve(tag + ".log"));
    }

    private AdapterRun measure(Adapter adapter, TwilioDouble twilio, List<Duration> startups)
            throws IOException, InterruptedException {
        try (AdapterProcess process = launch(adapter, twilio)) {
            Duration startup = process.awaitHealthy(Duration.ofSeconds(60));
            startups.add(startup);
            System.out.printf("[http] %s: healthy after %d ms (all launches: %s)%n", adapter.name(), startup.toMillis(),
                    startups.stream().map(d -> d.toMillis() + " ms").toList());
            LoadDriver driver = new LoadDriver(process.baseUri().resolve("/login"));
            LoadDriver.Result first = driver.run(1, 1, Duration.ofSeconds(10),
                    (c, s) -> LoadDriver.loginJson("first", ROOM));
            // Every room exists before anything is measured, so a new user costs one Twilio call, not a room's three.
            driver.run(1, ROOMS, Duration.ofSeconds(60), (c, s) -> LoadDriver.loginJson("first", ROOM + " " + s));
            if (first.failures() > 0) {
                throw new IOException("the first login failed " + first.statuses() + "; see " + process.tail());
            }

            int rssLogins = settings.loginsBeforeRss();
            driver.run(16, rssLogins, Duration.ofSeconds(120), (c, s) -> login("m" + c + "-" + s));
            long rss = process.residentKiB();
            long peak = process.peakResidentKiB();
            long threads = process.threads();
            System.out.printf("[http] %s: RSS %d MiB after %d logins%n", adapter.name(), rss / 1024, rssLogins);

            List<Phase> phases = new ArrayList<>();
            for (boolean refresh : new boolean[]{false, true}) {
                for (int clients : CLIENTS) {
                    phases.add(phase(driver, twilio, refresh, clients));
                    process.requireAlive();
                    System.out.println("[http] " + adapter.name() + ": " + phases.get(phases.size() - 1).subject()
                            + ": " + phases.get(phases.size() - 1).value());
                }
            }

            process.requireAlive();
            long createdBefore = twilio.conversationsCreated();
            String stampedeRoom = "Stampede " + adapter.name();
            LoadDriver.Result stampede = driver.burst(settings.stampedeClients(),
                    (c, s) -> LoadDriver.loginJson("s" + c, stampedeRoom));
            long created = twilio.conversationsCreated() - createdBefore;
            return new AdapterRun(adapter, null, List.copyOf(startups), rss, peak, threads, rssLogins, phases, stampede,
                    created);
        }
    }

    /** A login of {@code user} to one of the {@link #ROOMS} rooms, always the same one for the same user. */
    private static String login(String user) {
        return LoadDriver.loginJson(user, ROOM + " " + Math.floorMod(user.hashCode(), ROOMS));
    }

    private Phase phase(LoadDriver driver, TwilioDouble twilio, boolean refresh, int clients)
            throws InterruptedException {
        String prefix = (refresh ? "r" : "n") + clients;
        // A refresh is the same user again: warm-up enrolls each client's user, measurement repeats it.
        LoadDriver.Body warmUp = refresh
                ? (c, s) -> login(prefix + "-" + c)
                : (c, s) -> login(prefix + "w-" + c + "-" + s);
        LoadDriver.Body measured = refresh ? warmUp : (c, s) -> login(prefix + "-" + c + "-" + s);
        driver.run(clients, settings.loadPhaseMaxRequests(), settings.loadWarmUp(), warmUp);
        long callsBefore = twilio.totalCalls();
        LoadDriver.Result result = driver.run(clients, settings.loadPhaseMaxRequests(), settings.loadPhase(), measured);
        long calls = twilio.totalCalls() - callsBefore;
        int succeeded = result.requests() - result.failures();
        return new Phase(refresh, clients, result, succeeded == 0 ? 0 : (double) calls / succeeded);
    }

    private void loadSections(Report report, List<AdapterRun> runs) {
        for (AdapterRun run : runs) {
            Report.Section section = report.section("3. HTTP load: POST /login — " + run.adapter().name());
            if (run.unavailable() != null) {
                section.row(Report.Row.notAvailable("login throughput and latency", "≥ 2,000 logins/s at 100 clients; "
                        + "refresh p99 < 5 ms at 16 clients", run.unavailable()));
                continue;
            }
            for (Phase phase : run.phases()) {
                LoadDriver.Result r = phase.result();
                boolean clean = r.failures() == 0 && r.requests() > 0;
                String target;
                boolean met;
                if (phase.clients() == 100) {
                    target = "≥ 2,000 logins/s, 0 failed";
                    met = clean && r.perSecond() >= MIN_LOGINS_PER_SECOND;
                } else if (phase.refresh() && phase.clients() == 16) {
                    target = "p99 < 5 ms, 0 failed";
                    met = clean && r.latencies().percentile(99) < MAX_REFRESH_P99_NANOS;
                } else {
                    target = "0 failed";
                    met = clean;
                }
                section.row(phase.subject(), phase.value(), target, Report.Verdict.of(met));
                boolean budgetKept = phase.refresh() ? phase.callsPerLogin() == 0 : phase.callsPerLogin() <= 1.0;
                if (!budgetKept) {
                    section.note(String.format("%s made %.2f Twilio calls per login (budget: %s).", phase.subject(),
                            phase.callsPerLogin(), phase.refresh() ? "0" : "1"));
                }
            }
            section.note("Closed loop: each client sends its next login when the previous one answered; "
                    + settings.loadWarmUp().toSeconds() + " s warm-up, then " + settings.loadPhase().toSeconds()
                    + " s (at most " + String.format("%,d", settings.loadPhaseMaxRequests()) + " logins) measured. "
                    + "New users log into a room that already exists (one Twilio call each); refreshes repeat one "
                    + "user per client (no Twilio call). The driver (java.net.http) shares the same cores.");
        }
    }

    private void comparison(Report report, List<AdapterRun> runs) {
        Report.Section section = report.section("3. Each adapter relative to Undertow (throughput at 100 clients)");
        AdapterRun undertow = runs.get(0);
        for (AdapterRun other : runs.subList(1, runs.size())) {
            for (boolean refresh : new boolean[]{false, true}) {
                String subject = other.adapter().name() + ", " + (refresh ? "refresh, 100 clients" : "new users, 100 clients");
                Optional<Phase> u = undertow.phase(refresh, 100);
                Optional<Phase> m = other.phase(refresh, 100);
                if (u.isEmpty() || m.isEmpty()) {
                    section.row(Report.Row.notAvailable(subject, "≥ 80 % of Undertow",
                            "needs both adapters' load results"));
                    continue;
                }
                double ratio = m.get().result().perSecond() / Math.max(1e-9, u.get().result().perSecond());
                section.row(subject, String.format("%.0f %% (%,.0f vs %,.0f logins/s)", ratio * 100,
                        m.get().result().perSecond(), u.get().result().perSecond()), "≥ 80 % of Undertow",
                        Report.Verdict.of(ratio >= 0.8));
            }
        }
    }

    private void stampede(Report report, List<AdapterRun> runs) {
        Report.Section section = report.section("4. Stampede: " + settings.stampedeClients()
                + " concurrent first logins to one new room");
        for (AdapterRun run : runs) {
            String name = run.adapter().name();
            if (run.unavailable() != null) {
                section.row(Report.Row.notAvailable(name + ": conversations created", "1", run.unavailable()));
                continue;
            }
            LoadDriver.Result r = run.stampede();
            section.row(name + ": conversations created", Long.toString(run.conversationsCreated()), "1",
                    Report.Verdict.of(run.conversationsCreated() == 1));
            section.row(name + ": latency", String.format("p50 %s · p99 %s · max %s",
                            Latencies.millis(r.latencies().percentile(50)), Latencies.millis(r.latencies().percentile(99)),
                            Latencies.millis(r.latencies().percentile(100))), "- (reported)", Report.Verdict.INFO);
            section.row(name + ": logins answered 200", (r.requests() - r.failures()) + " of " + r.requests()
                    + (r.failures() == 0 ? "" : " (" + r.statuses() + ")"), "all", Report.Verdict.of(r.failures() == 0
                    && r.requests() == settings.stampedeClients()));
        }
        section.note("All clients are released by one latch; each sends one login with its own new user name; "
                + "the count comes from the fake Twilio's conversation-creation counter.");
    }

    private void startupAndMemory(Report report, List<AdapterRun> runs) {
        Report.Section section = report.section("5. Start-up time and resident memory");
        for (AdapterRun run : runs) {
            String name = run.adapter().name();
            String startupTarget = "< " + human(run.adapter().startupBudget());
            if (run.unavailable() != null) {
                section.row(Report.Row.notAvailable(name + ": JVM launch to first 200 from GET /health", startupTarget,
                        run.unavailable()));
                section.row(Report.Row.notAvailable(name + ": RSS after " + String.format("%,d", settings.loginsBeforeRss())
                        + " logins", "< 256 MB", run.unavailable()));
                continue;
            }
            section.row(name + ": JVM launch to first 200 from GET /health",
                    String.format("%.2f s (median of %d: %s)", run.medianStartup().toMillis() / 1000.0,
                            run.startups().size(), run.startups().stream()
                                    .map(d -> String.format("%.2f", d.toMillis() / 1000.0)).toList()),
                    startupTarget, Report.Verdict.of(run.medianStartup().compareTo(run.adapter().startupBudget()) < 0));
            section.row(name + ": RSS after " + String.format("%,d", run.loginsBeforeRss()) + " logins",
                    String.format("%d MB (peak %d MB; %d threads)", run.rssKiB() / 1024, run.peakKiB() / 1024,
                            run.threads()), "< 256 MB",
                    Report.Verdict.of(run.rssKiB() < MAX_RSS_KIB));
        }
        section.note("RSS is VmRSS from /proc/<pid>/status right after the logins (new users, 16 clients); peak is VmHWM. "
                + "Adapters run with `" + String.join(" ", settings.adapterJvmFlags()) + "`.");
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
}

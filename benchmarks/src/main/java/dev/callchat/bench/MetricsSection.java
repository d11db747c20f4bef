package dev.callchat.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Section 8: what recording meters costs. First core's own cost, from JMH ({@link MetricsBenchmark}: a refresh login
 * through core's HTTP contract with the runnable jars' Prometheus registry and without): that is the overhead to
 * expect, free of any server's or machine's noise. Then whole servers: each adapter's jar runs twice side by side
 * against the fake Twilio, once with {@code CALLCHAT_METRICS=true} (the default: Prometheus registry, JVM binders,
 * every request and login timed) and once with {@code false} (no registry at all). Refresh logins are driven at both
 * at once, half of the clients each, in rounds: first until throughput stops climbing (the JIT and the heap of both
 * JVMs are warm), then many short measured rounds. Both servers share each round's machine, so whatever else the
 * machine does in that round (the load driver's own threads, another process, a CPU's frequency) weighs on both
 * alike, and a server that costs more CPU per login completes fewer of them in the same time; the verdict is the
 * median of the rounds' ratios. (Driving one server after the other, as this section did first, let every such
 * change land on one side only: rounds scattered from 77 % to 116 % around a true cost of 0.1 %.)
 */
final class MetricsSection {
    private static final String ROOM = "Metrics Bench Room";
    private static final int CLIENTS = 16;
    private static final double MIN_RATIO = 0.95;
    /** Warm-up ends once the last {@link #STEADY_WINDOW} rounds served within this of the ones before them. */
    private static final double STABLE = 0.05;
    private static final int STEADY_WINDOW = 5;

    private final Settings settings;
    private final Path workDir;

    MetricsSection(Settings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    void run(Report report) {
        Report.Section section = report.section("8. Metrics overhead: refresh logins, metrics on vs off");
        CoreCost core = coreCost(section);
        measure(section, "Undertow", settings.undertowJar(), core);
        measure(section, "Micronaut", settings.micronautJar(), core);
        measure(section, "Spring Boot", settings.springBootJar(), core);
        checkMethod(section, "Undertow", settings.undertowJar());
        section.note("Core's cost is JMH (" + JMH_FORKS + " fork, " + jmhWarmUps() + "×1 s warm-up, "
                + jmhIterations() + "×1 s measurement, 1 thread, -Xmx256m; raw results in "
                + "benchmarks/target/bench/jmh-metrics.json) on `MetricsBenchmark`: `refreshLogin` is a repeated login "
                + "through core's HTTP contract (`CallChatHttp.handle`: JSON, validation, room and enrollment "
                + "memory, token signing, reply) with the runnable jars' registry (`ServerMetrics`: Prometheus, JVM and "
                + "process binders) and without; `recordOnly` records just the two timers a refresh login records "
                + "(`http.server.requests` and `callchat.login`). The expected server ratio is 1 − (`recordOnly` "
                + "with metrics on × logins/s ÷ cores): all of the recording counted as added (the metrics-off jar "
                + "also reads the clock and calls no-op meters) and the whole machine's CPU as the servers' (the load "
                + "driver shares those cores), so it bounds the loss from above. `refreshLogin` shows what a login "
                + "costs in core for scale; on a busy machine its error bars are far wider than the recording.");
        section.note("Servers: both JVMs of an adapter run at once and are driven at once, " + CLIENTS / 2
                + " closed-loop clients each, every client repeating its own user's login (no Twilio call), in rounds"
                + " of " + phase().toSeconds() + " s: warm-up rounds until both together served, over the last "
                + STEADY_WINDOW + " rounds, within " + Math.round(STABLE * 100) + " % of the " + STEADY_WINDOW
                + " rounds before (at least " + minWarmUps() + ", at most "
                + maxWarmUps() + "), then " + rounds() + " measured rounds. Both sides share each round's machine, so"
                + " what else the machine does weighs on both alike; the one that costs more CPU per login completes"
                + " fewer. The ratio is the median of the per-round ratios, with their interquartile range to show the"
                + " noise. Before measuring, a scrape of the metrics-on server must show the logins counted, and the"
                + " metrics-off server must answer /metrics with 404.");
    }

    private static final int JMH_FORKS = 1;

    private int jmhWarmUps() {
        return settings.quick() ? 1 : 3;
    }

    private int jmhIterations() {
        return settings.quick() ? 1 : 5;
    }

    private int rounds() {
        return settings.quick() ? 2 : 30;
    }

    /**
     * On a busy 2-core machine the adapters climbed for 40-60 s from cold, so the criterion only starts counting
     * after this many rounds (40 s).
     */
    private int minWarmUps() {
        return settings.quick() ? 1 : 20;
    }

    private int maxWarmUps() {
        return settings.quick() ? 2 : 50;
    }

    private Duration phase() {
        return settings.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
    }

    /**
     * What metrics on adds to a refresh login's CPU, in µs, NaN where JMH gave nothing: all of the recording with
     * the Prometheus registry, an upper bound (the metrics-off jar still reads the clock and calls the no-op meters).
     */
    private record CoreCost(double addedMicros) {
        /** @return the ratio a server at that throughput should show if metrics cost nothing but this */
        String expectedRatio(double loginsPerSecond) {
            if (Double.isNaN(addedMicros)) {
                return "n/a";
            }
            int cores = Runtime.getRuntime().availableProcessors();
            return String.format("≥ %.1f %%", (1 - Math.max(0, addedMicros) * 1e-6 * loginsPerSecond / cores) * 100);
        }
    }

    private CoreCost coreCost(Report.Section section) {
        try {
            return jmh(section);
        } catch (RunnerException | RuntimeException e) {
            System.err.println("[metrics] JMH failed: " + e);
            section.row(Report.Row.notAvailable("core: refresh login, metrics on / off (JMH)", "-",
                    "JMH failed: " + e.getMessage()));
            return new CoreCost(Double.NaN);
        }
    }

    private CoreCost jmh(Report.Section section) throws RunnerException {
        Path json = workDir.resolve("jmh-metrics.json");
        Options options = new OptionsBuilder()
                .include("dev\\.callchat\\.bench\\.MetricsBenchmark\\.")
                .forks(JMH_FORKS)
                .warmupIterations(jmhWarmUps())
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(jmhIterations())
                .measurementTime(TimeValue.seconds(1))
                .threads(1)
                .jvmArgs("-Xms256m", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .shouldFailOnError(true)
                .output(workDir.resolve("jmh-metrics.log").toString())
                .result(json.toString())
                .resultFormat(ResultFormatType.JSON)
                .build();
        System.out.println("[metrics] JMH: core's cost per refresh login, progress in " + workDir.resolve("jmh-metrics.log"));
        Map<String, Result<?>> scores = new java.util.HashMap<>();
        for (RunResult run : new Runner(options).run()) {
            String name = run.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.') + 1) + "/" + run.getParams().getParam("metrics"),
                    run.getPrimaryResult());
        }
        CoreCost cost = new CoreCost(score(scores, "recordOnly/on"));
        section.row("core: recording a refresh login's two timers, metrics on / off (`MetricsBenchmark.recordOnly`)",
                describe(scores, "recordOnly/on") + " vs " + describe(scores, "recordOnly/off"), "-",
                Report.Verdict.INFO);
        section.row("core: refresh login through `CallChatHttp.handle`, metrics on / off (`MetricsBenchmark.refreshLogin`)",
                describe(scores, "refreshLogin/on") + " vs " + describe(scores, "refreshLogin/off"), "-",
                Report.Verdict.INFO);
        return cost;
    }

    private static double score(Map<String, Result<?>> scores, String key) {
        Result<?> result = scores.get(key);
        return result == null ? Double.NaN : result.getScore();
    }

    private static String describe(Map<String, Result<?>> scores, String key) {
        Result<?> result = scores.get(key);
        return result == null ? "n/a" : JmhSection.micros(result.getScore(), result.getScoreError());
    }

    /** How one of the two servers of a comparison runs. */
    private record Side(String label, boolean metrics, List<String> extraJvmFlags) {
        static final Side ON = new Side("metrics on", true, List.of());
        static final Side OFF = new Side("metrics off", false, List.of());
        /** Only C1 compiles: a server that costs clearly more CPU per login, to show the comparison sees it. */
        static final Side OFF_C1_ONLY = new Side("metrics off, C1 only", false, List.of("-XX:TieredStopAtLevel=1"));
    }

    /** What a comparison measured: each round's ratio is side a's throughput over side b's. */
    private record Comparison(Rounds warmUp, Rounds measured, boolean stable) {
        double ratio() {
            return median(measured.ratios());
        }

        int failures() {
            return measured.failures() + warmUp.failures();
        }

        String describe(CoreCost core) {
            List<Double> ratios = measured.ratios();
            int failures = failures();
            return String.format("%.0f %% (median of %d round ratios, interquartile %.0f–%.0f %%, all %s; medians "
                            + "%,.0f vs %,.0f logins/s%s; warm-up %d rounds%s, %s vs %s; failed: %s)",
                    ratio() * 100, ratios.size(), quantile(ratios, 0.25) * 100, quantile(ratios, 0.75) * 100,
                    percents(ratios), median(measured.aRates()), median(measured.bRates()),
                    core == null ? "" : "; core's cost predicts " + core.expectedRatio(median(measured.bRates())),
                    warmUp.size(), stable ? "" : " (never steady: stopped at the maximum)", rates(warmUp.aRates()),
                    rates(warmUp.bRates()), failures == 0 ? "0" : failures + " " + Stream.concat(
                            warmUp.describeFailures("warm-up ").stream(), measured.describeFailures("").stream()).toList());
        }
    }

    private void measure(Report.Section section, String name, Path jar, CoreCost core) {
        String subject = name + ": refresh throughput, metrics on / off";
        compare(section, subject, "≥ 95 %, 0 failed", name, jar, Side.ON, Side.OFF,
                c -> c.describe(core), c -> c.ratio() >= MIN_RATIO && c.failures() == 0);
    }

    /**
     * Two checks of the method itself, on one adapter: the same server on both sides must come out even (no side
     * is favoured, by its port, its start order or the driver's threads), and a server that costs clearly more CPU
     * per login must come out clearly behind (the comparison is not blind to a cost).
     */
    private void checkMethod(Report.Section section, String name, Path jar) {
        compare(section, "method check, " + name + ": the same server on both sides (metrics off / off)",
                "97–103 %, 0 failed", name, jar, Side.OFF, Side.OFF, c -> c.describe(null),
                c -> c.ratio() >= 0.97 && c.ratio() <= 1.03 && c.failures() == 0);
        compare(section, "method check, " + name + ": JIT limited to C1 on one side (C1 only / full JIT)",
                "< 95 %, 0 failed", name, jar, Side.OFF_C1_ONLY, Side.OFF, c -> c.describe(null),
                c -> c.ratio() < MIN_RATIO && c.failures() == 0);
    }

    private void compare(Report.Section section, String subject, String target, String name, Path jar, Side a, Side b,
                         Function<Comparison, String> describe, Predicate<Comparison> met) {
        if (!Files.isRegularFile(jar)) {
            section.row(Report.Row.notAvailable(subject, target, jar + " is not built"));
            return;
        }
        String tag = name.toLowerCase(Locale.ROOT).replace(' ', '-');
        try (TwilioDouble twilio = FakeTwilioDouble.start(settings.latency());
             AdapterProcess first = launch(name, jar, twilio, a, tag + "-a");
             AdapterProcess second = launch(name, jar, twilio, b, tag + "-b")) {
            first.awaitHealthy(Duration.ofSeconds(60));
            second.awaitHealthy(Duration.ofSeconds(60));
            LoadDriver aDriver = new LoadDriver(first.baseUri().resolve("/login"));
            LoadDriver bDriver = new LoadDriver(second.baseUri().resolve("/login"));
            LoadDriver.Body body = (c, s) -> LoadDriver.loginJson("metrics-" + c, ROOM);
            Rounds warmUp = new Rounds();
            boolean stable = false;
            while (!stable && warmUp.size() < maxWarmUps()) {
                warmUp.add(round(aDriver, bDriver, body));
                stable = warmUp.size() >= minWarmUps() && warmUp.steady(STEADY_WINDOW, STABLE);
            }
            requireRecording(first.baseUri(), a, second.baseUri(), b);
            Rounds measured = new Rounds();
            for (int round = 0; round < rounds(); round++) {
                measured.add(round(aDriver, bDriver, body));
                first.requireAlive();
                second.requireAlive();
            }
            Comparison comparison = new Comparison(warmUp, measured, stable);
            System.out.printf("[metrics] %s: warm-up %s vs %s; measured %s vs %s logins/s%n", subject,
                    rates(warmUp.aRates()), rates(warmUp.bRates()), rates(measured.aRates()),
                    rates(measured.bRates()));
            section.row(subject, describe.apply(comparison), target, Report.Verdict.of(met.test(comparison)));
        } catch (IOException | RuntimeException e) {
            System.err.println("[metrics] " + subject + " failed: " + e);
            section.row(Report.Row.notAvailable(subject, target, "run failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            section.row(Report.Row.notAvailable(subject, target, "interrupted"));
        }
    }

    /** One round: both servers driven at once for the same phase, half of the clients each. */
    private Round round(LoadDriver aDriver, LoadDriver bDriver, LoadDriver.Body body) throws InterruptedException {
        AtomicReference<LoadDriver.Result> aResult = new AtomicReference<>();
        AtomicReference<InterruptedException> interrupted = new AtomicReference<>();
        Thread a = new Thread(() -> {
            try {
                aResult.set(aDriver.run(CLIENTS / 2, settings.loadPhaseMaxRequests(), phase(), body));
            } catch (InterruptedException e) {
                interrupted.set(e);
            }
        }, "metrics-driver-a");
        a.setDaemon(true);
        a.start();
        LoadDriver.Result bResult;
        try {
            bResult = bDriver.run(CLIENTS / 2, settings.loadPhaseMaxRequests(), phase(), body);
        } finally {
            a.join(); // the driver bounds its own run by phase(), so this waits one phase at most
        }
        if (interrupted.get() != null) {
            throw interrupted.get();
        }
        return new Round(aResult.get(), bResult);
    }

    private record Round(LoadDriver.Result a, LoadDriver.Result b) {
        double ratio() {
            return a.perSecond() / Math.max(1e-9, b.perSecond());
        }
    }

    /** Rounds in the order they ran. */
    private static final class Rounds {
        private final List<Round> rounds = new ArrayList<>();

        void add(Round round) {
            rounds.add(round);
        }

        int size() {
            return rounds.size();
        }

        boolean steady(int window, double tolerance) {
            return MetricsSection.steady(aRates(), bRates(), window, tolerance);
        }

        List<Double> ratios() {
            return rounds.stream().map(Round::ratio).toList();
        }

        List<Double> aRates() {
            return rounds.stream().map(p -> p.a().perSecond()).toList();
        }

        List<Double> bRates() {
            return rounds.stream().map(p -> p.b().perSecond()).toList();
        }

        int failures() {
            return rounds.stream().mapToInt(p -> p.a().failures() + p.b().failures()).sum();
        }

        /** @return the failed phases' own descriptions (status counts, first I/O error), each after {@code phase} */
        List<String> describeFailures(String phase) {
            List<String> failed = new ArrayList<>();
            for (Round p : rounds) {
                if (p.a().failures() > 0) {
                    failed.add(phase + "a: " + p.a().describeFailures());
                }
                if (p.b().failures() > 0) {
                    failed.add(phase + "b: " + p.b().describeFailures());
                }
            }
            return failed;
        }
    }

    private AdapterProcess launch(String name, Path jar, TwilioDouble twilio, Side side, String tag)
            throws IOException {
        List<String> flags = new ArrayList<>(settings.adapterJvmFlags());
        flags.addAll(side.extraJvmFlags());
        return AdapterProcess.launch(name + " (" + side.label() + ")", jar, flags,
                Map.of("TWILIO_ACCOUNT_SID", Providers.ACCOUNT_SID,
                        "TWILIO_API_KEY_SID", Providers.API_KEY_SID,
                        "TWILIO_API_KEY_SECRET", Providers.API_KEY_SECRET,
                        "TWILIO_API_BASE_URL", twilio.baseUrl().toString(),
                        "CALLCHAT_LOGIN_RATE", "off",
                        "CALLCHAT_METRICS", Boolean.toString(side.metrics())),
                workDir.resolve("run-" + tag), workDir.resolve(tag + ".log"));
    }

    /** A comparison is only worth something if a metrics-on server really records and a metrics-off one does not. */
    private static void requireRecording(URI first, Side a, URI second, Side b) throws IOException, InterruptedException {
        requireRecording(first, a.metrics());
        requireRecording(second, b.metrics());
    }

    private static void requireRecording(URI server, boolean metrics) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(server.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (metrics && (scrape.statusCode() != 200
                || !scrape.body().contains("callchat_login_seconds_count{outcome=\"ok\",provider=\"twilio\"}"))) {
            throw new IOException("the metrics-on server does not show its logins in /metrics (" + scrape.statusCode() + ")");
        }
        if (!metrics && scrape.statusCode() != 404) {
            throw new IOException("the metrics-off server answered /metrics with " + scrape.statusCode() + ", not 404");
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * @return whether both sides together served, over the last {@code window} rounds, within {@code tolerance} (a
     *         fraction) of what they served over the {@code window} rounds before: a JIT still compiling climbs by a
     *         few per cent a round, which a comparison of neighbouring rounds alone mistook for steady
     */
    static boolean steady(List<Double> aRates, List<Double> bRates, int window, double tolerance) {
        int n = aRates.size();
        if (n < 2 * window) {
            return false;
        }
        double before = 0;
        double last = 0;
        for (int i = n - 2 * window; i < n; i++) {
            double total = aRates.get(i) + bRates.get(i);
            if (i < n - window) {
                before += total;
            } else {
                last += total;
            }
        }
        return Math.abs(last - before) / Math.max(1e-9, before) <= tolerance;
    }

    /** Linear interpolation between the sorted values' neighbours. */
    static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        double at = q * (sorted.size() - 1);
        int low = (int) Math.floor(at);
        int high = Math.min(sorted.size() - 1, low + 1);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (at - low);
    }

    private static String percents(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v * 100)).toList().toString();
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format("%,.0f", v)).toList().toString();
    }
}

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
import java.util.stream.Stream;

/**
 * Section 8: what recording meters costs. First core's own cost, from JMH ({@link MetricsBenchmark}: a refresh login
 * through core's HTTP contract with the runnable jars' Prometheus registry and without): that is the overhead to
 * expect, free of any server's or machine's noise. Then whole servers: each adapter's jar runs twice side by side
 * against the fake Twilio, once with {@code CALLCHAT_METRICS=true} (the default: Prometheus registry, JVM binders,
 * every request and login timed) and once with {@code false} (no registry at all). Refresh logins are driven at each
 * in turn in alternating pairs (on-off, off-on, …): first until throughput stops climbing (the JIT and the heap of
 * both JVMs are warm), then many short measured rounds. Each round's ratio compares two neighbouring phases, so a
 * machine getting busier or quieter over the run weighs on both sides alike; the verdict is the median of them.
 */
final class MetricsSection {
    private static final String ROOM = "Metrics Bench Room";
    private static final int CLIENTS = 16;
    private static final double MIN_RATIO = 0.95;
    /** Warm-up ends once two consecutive pairs each moved both sides' throughput by no more than this. */
    private static final double STABLE = 0.10;

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
        section.note("Servers: both JVMs of an adapter run at once (idle when not driven); alternating warm-up pairs of "
                + phase().toSeconds() + " s per side until two consecutive pairs moved each side's throughput by ≤ "
                + Math.round(STABLE * 100) + " % (at least " + minWarmUps() + ", at most " + maxWarmUps()
                + " pairs), then " + rounds() + " measured rounds of " + phase().toSeconds() + " s per side in "
                + "alternating order; " + CLIENTS + " closed-loop clients, each repeating its own user's login (no "
                + "Twilio call). The ratio is the median of the per-round ratios, with their interquartile range to "
                + "show the noise. Before measuring, a scrape of the metrics-on server must show the logins counted, "
                + "and the metrics-off server must answer /metrics with 404.");
    }

    private static final int JMH_FORKS = 1;

    private int jmhWarmUps() {
        return settings.quick() ? 1 : 3;
    }

    private int jmhIterations() {
        return settings.quick() ? 1 : 5;
    }

    private int rounds() {
        return settings.quick() ? 2 : 18;
    }

    /**
     * On a busy 2-core machine the adapters climbed for 40-60 s from cold and paused on the way long enough to
     * look steady for two pairs, so the criterion only starts counting after this many pairs (40 s per side).
     */
    private int minWarmUps() {
        return settings.quick() ? 1 : 10;
    }

    private int maxWarmUps() {
        return settings.quick() ? 2 : 25;
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

    private void measure(Report.Section section, String name, Path jar, CoreCost core) {
        String subject = name + ": refresh throughput, metrics on / off";
        if (!Files.isRegularFile(jar)) {
            section.row(Report.Row.notAvailable(subject, "≥ 95 %", jar + " is not built"));
            return;
        }
        String tag = name.toLowerCase(Locale.ROOT).replace(' ', '-');
        try (TwilioDouble twilio = FakeTwilioDouble.start(settings.latency());
             AdapterProcess on = launch(name, jar, twilio, true, tag + "-metrics-on");
             AdapterProcess off = launch(name, jar, twilio, false, tag + "-metrics-off")) {
            on.awaitHealthy(Duration.ofSeconds(60));
            off.awaitHealthy(Duration.ofSeconds(60));
            LoadDriver onDriver = new LoadDriver(on.baseUri().resolve("/login"));
            LoadDriver offDriver = new LoadDriver(off.baseUri().resolve("/login"));
            LoadDriver.Body body = (c, s) -> LoadDriver.loginJson("metrics-" + c, ROOM);
            Pairs warmUp = new Pairs();
            boolean stable = false;
            while (!stable && warmUp.size() < maxWarmUps()) {
                warmUp.add(pair(warmUp.size(), onDriver, offDriver, body));
                stable = warmUp.size() >= minWarmUps() && warmUp.steady(2, STABLE);
            }
            requireRecording(on.baseUri(), off.baseUri());
            Pairs measured = new Pairs();
            for (int round = 0; round < rounds(); round++) {
                measured.add(pair(round, onDriver, offDriver, body));
                on.requireAlive();
                off.requireAlive();
            }
            List<Double> ratios = measured.ratios();
            double ratio = median(ratios);
            double offMedian = median(measured.offRates());
            int failures = measured.failures() + warmUp.failures();
            System.out.printf("[metrics] %s: warm-up on %s off %s; measured on %s off %s logins/s%n", name,
                    rates(warmUp.onRates()), rates(warmUp.offRates()), rates(measured.onRates()),
                    rates(measured.offRates()));
            section.row(subject, String.format("%.0f %% (median of %d round ratios, interquartile %.0f–%.0f %%, "
                                    + "all %s; medians on %,.0f vs off %,.0f logins/s; core's cost predicts %s; "
                                    + "warm-up %d pairs%s, on %s, off %s; failed: %s)",
                            ratio * 100, ratios.size(), quantile(ratios, 0.25) * 100, quantile(ratios, 0.75) * 100,
                            percents(ratios), median(measured.onRates()), offMedian,
                            core.expectedRatio(offMedian), warmUp.size(),
                            stable ? "" : " (never steady: stopped at the maximum)", rates(warmUp.onRates()),
                            rates(warmUp.offRates()), failures == 0 ? "0" : failures + " " + Stream.concat(warmUp.describeFailures("warm-up ").stream(),
                                    measured.describeFailures("").stream()).toList()),
                    "≥ 95 %, 0 failed", Report.Verdict.of(ratio >= MIN_RATIO && failures == 0));
        } catch (IOException | RuntimeException e) {
            System.err.println("[metrics] " + name + " failed: " + e);
            section.row(Report.Row.notAvailable(subject, "≥ 95 %", "run failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            section.row(Report.Row.notAvailable(subject, "≥ 95 %", "interrupted"));
        }
    }

    /** One phase per side, on first in even pairs and off first in odd ones. */
    private Pair pair(int index, LoadDriver onDriver, LoadDriver offDriver, LoadDriver.Body body)
            throws InterruptedException {
        LoadDriver.Result onResult = null;
        LoadDriver.Result offResult = null;
        for (boolean metricsOn : index % 2 == 0 ? new boolean[]{true, false} : new boolean[]{false, true}) {
            LoadDriver.Result r = (metricsOn ? onDriver : offDriver)
                    .run(CLIENTS, settings.loadPhaseMaxRequests(), phase(), body);
            if (metricsOn) {
                onResult = r;
            } else {
                offResult = r;
            }
        }
        return new Pair(onResult, offResult);
    }

    private record Pair(LoadDriver.Result on, LoadDriver.Result off) {
        double ratio() {
            return on.perSecond() / Math.max(1e-9, off.perSecond());
        }
    }

    /** Pairs in the order they ran. */
    private static final class Pairs {
        private final List<Pair> pairs = new ArrayList<>();

        void add(Pair pair) {
            pairs.add(pair);
        }

        int size() {
            return pairs.size();
        }

        boolean steady(int count, double tolerance) {
            return MetricsSection.steady(onRates(), offRates(), count, tolerance);
        }

        List<Double> ratios() {
            return pairs.stream().map(Pair::ratio).toList();
        }

        List<Double> onRates() {
            return pairs.stream().map(p -> p.on().perSecond()).toList();
        }

        List<Double> offRates() {
            return pairs.stream().map(p -> p.off().perSecond()).toList();
        }

        int failures() {
            return pairs.stream().mapToInt(p -> p.on().failures() + p.off().failures()).sum();
        }

        /** @return the failed phases' own descriptions (status counts, first I/O error), each after {@code phase} */
        List<String> describeFailures(String phase) {
            List<String> failed = new ArrayList<>();
            for (Pair p : pairs) {
                if (p.on().failures() > 0) {
                    failed.add(phase + "on: " + p.on().describeFailures());
                }
                if (p.off().failures() > 0) {
                    failed.add(phase + "off: " + p.off().describeFailures());
                }
            }
            return failed;
        }
    }

    private AdapterProcess launch(String name, Path jar, TwilioDouble twilio, boolean metrics, String tag)
            throws IOException {
        return AdapterProcess.launch(name + (metrics ? " (metrics on)" : " (metrics off)"), jar,
                settings.adapterJvmFlags(),
                Map.of("TWILIO_ACCOUNT_SID", Providers.ACCOUNT_SID,
                        "TWILIO_API_KEY_SID", Providers.API_KEY_SID,
                        "TWILIO_API_KEY_SECRET", Providers.API_KEY_SECRET,
                        "TWILIO_API_BASE_URL", twilio.baseUrl().toString(),
                        "CALLCHAT_LOGIN_RATE", "off",
                        "CALLCHAT_METRICS", Boolean.toString(metrics)),
                workDir.resolve("run-" + tag), workDir.resolve(tag + ".log"));
    }

    /** A comparison is only worth something if the metrics-on server really records and the other does not. */
    private static void requireRecording(URI on, URI off) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(on.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (scrape.statusCode() != 200
                || !scrape.body().contains("callchat_login_seconds_count{outcome=\"ok\",provider=\"twilio\"}")) {
            throw new IOException("the metrics-on server does not show its logins in /metrics (" + scrape.statusCode() + ")");
        }
        int offStatus = client.send(HttpRequest.newBuilder(off.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (offStatus != 404) {
            throw new IOException("the metrics-off server answered /metrics with " + offStatus + ", not 404");
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * @return whether each of the last {@code count} pairs moved both sides' throughput by at most {@code tolerance}
     *         (a fraction) from the pair before it
     */
    static boolean steady(List<Double> onRates, List<Double> offRates, int count, double tolerance) {
        if (onRates.size() < count + 1) {
            return false;
        }
        for (int i = onRates.size() - count; i < onRates.size(); i++) {
            if (change(onRates.get(i - 1), onRates.get(i)) > tolerance
                    || change(offRates.get(i - 1), offRates.get(i)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static double change(double before, double now) {
        return Math.abs(now - before) / Math.max(1e-9, before);
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

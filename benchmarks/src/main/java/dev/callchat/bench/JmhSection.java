package dev.callchat.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Section 1: JMH on core's hot paths. No numbers are set elsewhere, so the targets are our own budget:
 * at 2,000 logins/s on 2 cores a login may use 1 ms of CPU in total, and core's share of that
 * (validation, lookup, enrollment, signing) should stay under 5 %, i.e. 50 µs.
 */
final class JmhSection {
    private record Budget(String subject, double maxMicros) {
    }

    /** In report order. */
    private static final List<String> ORDER = List.of("IdentityBenchmark.asciiIdentity",
            "IdentityBenchmark.unicodeIdentity", "IdentityBenchmark.room", "TokenBenchmark.localHs256",
            "TokenBenchmark.jjwtBaseline", "TokenBenchmark.twilioAccessToken", "TokenBenchmark.twilioSdkBaseline",
            "LoginBenchmark.warmLogin", "LoginBenchmark.warmTwilioRefresh");

    private static final Map<String, Budget> BUDGETS = Map.of(
            "IdentityBenchmark.asciiIdentity", new Budget("identity validation, ASCII name", 2),
            "IdentityBenchmark.unicodeIdentity", new Budget("identity validation, name needing NFC", 2),
            "IdentityBenchmark.room", new Budget("room name validation", 2),
            "TokenBenchmark.localHs256", new Budget("token signing, local HS256", 30),
            "TokenBenchmark.twilioAccessToken", new Budget("token signing, Twilio AccessToken", 30),
            "TokenBenchmark.jjwtBaseline", new Budget("baseline: the HS256 token from jjwt directly", Double.MAX_VALUE),
            "TokenBenchmark.twilioSdkBaseline", new Budget("baseline: the AccessToken from twilio-java directly",
                    Double.MAX_VALUE),
            "LoginBenchmark.warmLogin", new Budget("warm CallSessionService.login, local provider (in-memory roles)", 50),
            "LoginBenchmark.warmTwilioRefresh", new Budget("warm CallSessionService.login, Twilio provider (refresh: "
                    + "no Twilio call)", 50));

    private final Settings settings;
    private final Path workDir;

    JmhSection(Settings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    void run(Report report) throws RunnerException, java.io.IOException {
        Report.Section section = report.section("1. Core hot paths (JMH, average time per operation)");
        Files.createDirectories(workDir);
        Path log = workDir.resolve("jmh.log");
        Path json = workDir.resolve("jmh.json");
        Options options = new OptionsBuilder()
                .include("dev\\.callchat\\.bench\\.(Identity|Token|Login)Benchmark\\.")
                .forks(1)
                .warmupIterations(settings.quick() ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(settings.quick() ? 1 : 5)
                .measurementTime(TimeValue.seconds(1))
                .threads(1)
                .jvmArgs("-Xms256m", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .shouldFailOnError(true)
                .output(log.toString())
                .result(json.toString())
                .resultFormat(ResultFormatType.JSON)
                .build();
        System.out.println("[jmh] running 9 benchmarks, progress in " + log);
        Collection<RunResult> results = new Runner(options).run();
        List<RunResult> sorted = results.stream()
                .sorted(Comparator.comparing(r -> order(r.getParams().getBenchmark())))
                .toList();
        for (RunResult run : sorted) {
            String name = run.getParams().getBenchmark();
            String key = shortName(name);
            Result<?> primary = run.getPrimaryResult();
            double micros = primary.getScore();
            Budget budget = BUDGETS.getOrDefault(key, new Budget(key, Double.MAX_VALUE));
            section.row(budget.subject() + " (`" + key + "`)", micros(micros, primary.getScoreError()),
                    budget.maxMicros() == Double.MAX_VALUE ? "-" : "< " + fmt(budget.maxMicros()) + " µs",
                    budget.maxMicros() == Double.MAX_VALUE ? Report.Verdict.INFO
                            : Report.Verdict.of(micros < budget.maxMicros()));
        }
        section.note("Targets are our own budget (none are set elsewhere): core's CPU share of a login < 50 µs, "
                + "so core is never what limits 2,000 logins/s on 2 cores.");
        section.note("Baselines call jjwt and twilio-java directly with the same claims: the gap to the provider "
                + "rows is what core's issuers add.");
        section.note(String.format("JMH 1.37, 1 fork, %d×1 s warm-up, %d×1 s measurement, 1 thread, -Xmx256m; "
                        + "raw results in benchmarks/target/bench/jmh.json.",
                settings.quick() ? 1 : 3, settings.quick() ? 1 : 5));
    }

    private static String shortName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
    }

    private static int order(String benchmark) {
        int index = ORDER.indexOf(shortName(benchmark));
        return index < 0 ? ORDER.size() : index;
    }

    /** Sub-microsecond scores in ns, so 0.01 µs does not hide a 2x difference. */
    static String micros(double score, double error) {
        boolean small = score < 1;
        double scale = small ? 1000 : 1;
        String unit = small ? " ns" : " µs";
        String value = String.format(small ? "%.0f" : "%.2f", score * scale);
        String plusMinus = Double.isNaN(error) ? "" : String.format(small ? " ± %.0f" : " ± %.2f", error * scale);
        return value + plusMinus + unit;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

package dev.callchat.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Runs every benchmark section and writes BENCHMARKS.md. Entry point of
 * {@code benchmarks/target/callchat-benchmarks.jar}; {@code bash benchmarks/run.sh} builds and calls it.
 */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    /**
     * @param args see {@link Settings#USAGE}
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(Settings.USAGE);
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path workDir = Path.of("benchmarks", "target", "bench");
        Files.createDirectories(workDir);
        Report report = new Report();
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        machine(report, settings);

        if (settings.runs("jmh")) {
            guarded(report, "1. Core hot paths (JMH)", () -> new JmhSection(settings, workDir).run(report));
        }
        if (settings.runs("calls")) {
            guarded(report, "2. Twilio calls per login", () -> new TwilioCallsSection(settings).run(report));
        }
        if (settings.runs("http")) {
            guarded(report, "3-5. HTTP adapters", () -> new HttpSection(settings, workDir).run(report));
        }
        if (settings.runs("joins")) {
            guarded(report, "7. Joins paced to Twilio's limits", () -> new JoinSection(settings).run(report));
        }
        if (settings.runs("hub")) {
            guarded(report, "6. Local hub", () -> new HubSection(settings).run(report));
        }
        if (settings.runs("metrics")) {
            guarded(report, "7. Metrics overhead", () -> new MetricsSection(settings, workDir).run(report));
        }

        report.header("load average (1/5/15 min) before: " + loadBefore + " (numbers are comparable only when this "
                + "is well below 1), after: " + loadAverage() + " (includes the suite's own load)");
        report.header(String.format("suite wall time: %.0f s", (System.nanoTime() - started) / 1e9));
        Files.writeString(settings.out(), report.toMarkdown());
        System.out.println(report.toMarkdown());
        System.out.println("[bench] wrote " + settings.out().toAbsolutePath() + " (" + report.misses()
                + " rows missed their target)");
    }

    @FunctionalInterface
    private interface SectionRun {
        void run() throws Exception;
    }

    /** One failing section becomes a row saying why; the others still run. */
    private static void guarded(Report report, String title, SectionRun run) {
        try {
            run.run();
        } catch (Exception | LinkageError e) {
            System.err.println("[bench] section '" + title + "' failed: " + e);
            e.printStackTrace();
            report.section(title + " — FAILED").row(Report.Row.notAvailable("whole section", "-",
                    "the section failed: " + e));
        }
    }

    private static void machine(Report report, Settings settings) {
        report.header("date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        report.header("commit: " + settings.commit());
        report.header("mode: " + (settings.quick()
                ? "**--quick smoke test: sizes too small for the numbers to mean anything**" : "full"));
        report.header("cores: " + Runtime.getRuntime().availableProcessors() + ", CPU: " + cpuModel()
                + ", memory: " + memTotal());
        report.header("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        report.header("adapter JVM flags: `" + String.join(" ", settings.adapterJvmFlags()) + "`");
        report.header("fake Twilio latency per call: " + settings.latency().toMillis() + " ms");
    }

    private static String cpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static String memTotal() {
        return procLine(Path.of("/proc/meminfo"), "MemTotal").orElse("unknown");
    }

    private static java.util.Optional<String> procLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}

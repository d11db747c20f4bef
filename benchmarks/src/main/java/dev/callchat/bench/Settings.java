package dev.callchat.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of the suite. {@code --quick} shrinks every run to a smoke test that proves
 * the harness works; its numbers mean nothing.
 *
 * @param quick           smoke-test sizes
 * @param out             the report to write
 * @param sections        which sections to run
 * @param latency         latency the fake Twilio adds to every call
 * @param undertowJar     the Undertow adapter's runnable jar
 * @param micronautJar    the Micronaut adapter's runnable jar
 * @param springBootJar   the Spring Boot adapter's runnable jar
 * @param adapterJvmFlags flags every adapter JVM is launched with
 * @param commit          the git commit measured, for the report
 */
record Settings(boolean quick, Path out, Set<String> sections, Duration latency, Path undertowJar, Path micronautJar,
                Path springBootJar, List<String> adapterJvmFlags, String commit) {
    static final List<String> ALL_SECTIONS = List.of("jmh", "calls", "http", "hub", "joins", "metrics");
    /** Small fixed heap and the serial collector: right-sized for 2 cores and the 256 MB RSS budget. */
    static final String DEFAULT_ADAPTER_JVM_FLAGS = "-Xms64m -Xmx128m -XX:+UseSerialGC -Xss512k"
            + " -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m";

    static final String USAGE = """
            usage: java -jar benchmarks/target/callchat-benchmarks.jar [options]
              --quick                 smoke-test sizes (seconds, not minutes); numbers are meaningless
              --out FILE              report to write (default BENCHMARKS.md;
                                      with --quick benchmarks/target/BENCHMARKS-quick.md)
              --only LIST             comma-separated subset of: jmh,calls,http,hub,joins,metrics (default all)
              --latency-ms N          latency the fake Twilio adds to each call (default 20)
              --undertow-jar FILE     default server-undertow/target/callchat-undertow.jar
              --micronaut-jar FILE    default server-micronaut/target/callchat-micronaut.jar
              --spring-boot-jar FILE  default server-spring-boot/target/callchat-spring-boot.jar
              --adapter-jvm-flags S   default "%s"
              --commit SHA            recorded in the report
            """.formatted(DEFAULT_ADAPTER_JVM_FLAGS);

    static Settings parse(String... args) {
        boolean quick = false;
        Path out = null;
        Set<String> sections = new LinkedHashSet<>(ALL_SECTIONS);
        Duration latency = Duration.ofMillis(20);
        Path undertow = Path.of("server-undertow/target/callchat-undertow.jar");
        Path micronaut = Path.of("server-micronaut/target/callchat-micronaut.jar");
        Path springBoot = Path.of("server-spring-boot/target/callchat-spring-boot.jar");
        String flags = DEFAULT_ADAPTER_JVM_FLAGS;
        String commit = "unknown";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--only" -> {
                    sections = new LinkedHashSet<>(Arrays.asList(value(args, ++i, arg).split(",")));
                    for (String section : sections) {
                        if (!ALL_SECTIONS.contains(section)) {
                            throw new IllegalArgumentException("unknown section '" + section + "'; known: " + ALL_SECTIONS);
                        }
                    }
                }
                case "--latency-ms" -> latency = Duration.ofMillis(Long.parseLong(value(args, ++i, arg)));
                case "--undertow-jar" -> undertow = Path.of(value(args, ++i, arg));
                case "--micronaut-jar" -> micronaut = Path.of(value(args, ++i, arg));
                case "--spring-boot-jar" -> springBoot = Path.of(value(args, ++i, arg));
                case "--adapter-jvm-flags" -> flags = value(args, ++i, arg);
                case "--commit" -> commit = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            }
        }
        if (out == null) {
            // A smoke run must never overwrite the real report.
            out = quick ? Path.of("benchmarks/target/BENCHMARKS-quick.md") : Path.of("BENCHMARKS.md");
        }
        List<String> jvmFlags = flags.isBlank() ? List.of() : List.of(flags.strip().split("\\s+"));
        return new Settings(quick, out, Set.copyOf(sections), latency, undertow, micronaut, springBoot, jvmFlags,
                commit);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    boolean runs(String section) {
        return sections.contains(section);
    }

    /** How long one load phase measures, after its warm-up. */
    Duration loadPhase() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    }

    Duration loadWarmUp() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
    }

    /** Upper bound on requests per load phase, so a very fast server still ends the phase early. */
    int loadPhaseMaxRequests() {
        return quick ? 5_000 : 100_000;
    }

    /** Logins before reading an adapter's resident memory. */
    int loginsBeforeRss() {
        return quick ? 1_000 : 10_000;
    }

    /** Launches per adapter whose start-up time is taken; the report gives the median. */
    int startupSamples() {
        return quick ? 1 : 3;
    }

    int stampedeClients() {
        return 500;
    }

    List<Integer> conversationCounts() {
        return List.of(0, 1_000, 10_000);
    }
}

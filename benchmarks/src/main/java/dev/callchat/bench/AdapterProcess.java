package dev.callchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One adapter's real jar running as a child JVM on a loopback port, with its output sent to a log
 * file. Knows when it first answered {@code GET /health} and how much memory it holds.
 */
final class AdapterProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final long launchedAtNanos;
    private final URI baseUri;
    private final Path log;

    private AdapterProcess(String name, Process process, long launchedAtNanos, URI baseUri, Path log) {
        this.name = name;
        this.process = process;
        this.launchedAtNanos = launchedAtNanos;
        this.baseUri = baseUri;
        this.log = log;
    }

    /**
     * @param environment variables for the child on top of a copy of ours from which every
     *                    {@code TWILIO_*}, {@code CALLCHAT_*}, {@code HOST} and {@code PORT} was removed
     * @param workDir     an empty directory, so that no stray {@code .env} file is read
     */
    static AdapterProcess launch(String name, Path jar, List<String> jvmOptions, Map<String, String> environment,
                                 Path workDir, Path log) throws IOException {
        int port = freeLoopbackPort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        Files.createDirectories(workDir);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("TWILIO_") || k.startsWith("CALLCHAT_") || k.equals("HOST")
                || k.equals("PORT") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        env.putAll(environment);
        env.put("HOST", "127.0.0.1");
        env.put("PORT", Integer.toString(port));
        long launchedAt = System.nanoTime();
        Process process = builder.start();
        return new AdapterProcess(name, process, launchedAt, URI.create("http://127.0.0.1:" + port), log);
    }

    /**
     * Polls {@code GET /health} until it answers 200.
     *
     * @return the time from launching the JVM to that first 200
     */
    Duration awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest health = HttpRequest.newBuilder(baseUri.resolve("/health")).timeout(Duration.ofSeconds(2)).GET()
                .build();
        long deadline = launchedAtNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " before it was healthy; "
                        + "last lines of " + log + ":\n" + tail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - launchedAtNanos);
                }
            } catch (IOException notListeningYet) {
                // expected while the JVM starts
            }
            Thread.sleep(5);
        }
        throw new IOException(name + " did not answer GET /health with 200 within " + timeout.toSeconds()
                + " s; last lines of " + log + ":\n" + tail());
    }

    /** @throws IOException saying how it ended, when the adapter is no longer running */
    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name + " exited with status " + process.exitValue() + "; last lines of " + log
                    + ":\n" + tail());
        }
    }

    URI baseUri() {
        return baseUri;
    }

    long pid() {
        return process.pid();
    }

    /** @return resident set size now (VmRSS), in KiB */
    long residentKiB() throws IOException {
        return procStatus("VmRSS:");
    }

    /** @return peak resident set size (VmHWM), in KiB */
    long peakResidentKiB() throws IOException {
        return procStatus("VmHWM:");
    }

    /** @return the adapter's live threads now */
    long threads() throws IOException {
        return procStatus("Threads:");
    }

    private long procStatus(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
            }
        }
        throw new IOException(field + " not found in /proc/" + process.pid() + "/status");
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the adapter (SIGTERM, so it shuts down gracefully; SIGKILL after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

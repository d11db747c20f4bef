package dev.callchat.testing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A browser's side of {@code /local/ws}, over {@link java.net.http.WebSocket}, with bounded waits. */
final class SocketClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the server closed the socket. */
    record Closure(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closure> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private SocketClient(HttpClient client, URI uri) throws Exception {
        socket = client.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, new Listener())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @param server a server in local mode */
    static SocketClient connect(HttpClient client, RunningServer server) throws Exception {
        URI http = server.uri("/local/ws");
        return new SocketClient(client, URI.create("ws" + http.toString().substring("http".length())));
    }

    SocketClient send(String frame) throws Exception {
        socket.sendText(frame, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Sends without waiting; for floods, where the server may close before every frame is written. */
    void sendQuietly(String frame) {
        try {
            socket.sendText(frame, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // closed by the server mid-flood: expected
        }
    }

    /** Sends a binary frame, which the protocol does not allow. */
    void sendBinaryQuietly(byte[] data) {
        try {
            socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // closed by the server: expected
        }
    }

    /** @return the next frame, failing after {@link #WAIT} */
    JsonNode next() throws InterruptedException {
        JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + WAIT.toSeconds() + " s" + (closed.isDone() ? " (closed: "
                    + closed.join() + ")" : ""));
        }
        return frame;
    }

    /** @return the next frame of the given type, skipping others (presence noise) */
    JsonNode next(String type) throws InterruptedException {
        return next(f -> type.equals(f.path("type").asText()));
    }

    /** @return the next frame of the type, or empty when the server closes the socket first */
    java.util.Optional<JsonNode> nextUnlessClosed(String type) throws InterruptedException {
        try {
            return java.util.Optional.of(next(type));
        } catch (AssertionError e) {
            if (closed.isDone()) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        java.util.List<JsonNode> skipped = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)),
                    TimeUnit.NANOSECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
            if (frame != null) {
                skipped.add(frame);
            } else if (closed.isDone()) {
                break;
            }
        }
        throw new AssertionError("no matching frame within " + WAIT.toSeconds() + " s; got " + skipped
                + (closed.isDone() ? ", then closed: " + closed.join() : ""));
    }

    /** Starts the closing handshake from the client side, with 1000 (normal closure). */
    void closeNormally() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return whether the server has closed the socket */
    boolean closed() {
        return closed.isDone();
    }

    /** @return how the server closed the socket, failing after {@link #WAIT} */
    Closure closure() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    closed.completeExceptionally(new AssertionError("server sent a frame that is not JSON: " + partial));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closure(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closure(-1, String.valueOf(error)));
        }
    }
}

package dev.callchat.core.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callchat.core.spi.HubPeer;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** An in-memory WebSocket for the hub: records what it is sent and how it is closed. */
final class FakePeer implements HubPeer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the peer completes sends. */
    enum Mode {
        /** Calls onDone before sendText returns. */
        INLINE,
        /** Calls onDone later, on another thread. */
        ASYNC,
        /** Never calls onDone: a browser that stopped reading. */
        STALLED
    }

    private final String name;
    private final Mode mode;
    private final Executor completions;
    private final List<JsonNode> frames = new ArrayList<>();
    private int closeCode;
    private String closeReason;
    /** The hub's side of this socket, when a test wants to close it as a browser would. */
    volatile dev.callchat.core.spi.HubConnection connection;

    FakePeer(String name, Mode mode, Executor completions) {
        this.name = name;
        this.mode = mode;
        this.completions = completions;
    }

    static FakePeer inline(String name) {
        return new FakePeer(name, Mode.INLINE, Runnable::run);
    }

    static FakePeer stalled(String name) {
        return new FakePeer(name, Mode.STALLED, Runnable::run);
    }

    @Override
    public void sendText(String frame, Consumer<Throwable> onDone) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            frames.add(parsed);
            notifyAll();
        }
        switch (mode) {
            case INLINE -> onDone.accept(null);
            case ASYNC -> completions.execute(() -> onDone.accept(null));
            case STALLED -> { }
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closeCode == 0) {
            closeCode = code;
            closeReason = reason;
        }
        notifyAll();
    }

    /** The browser closes the socket (a tab closed or reloaded). */
    void closedByBrowser() {
        connection.onClose();
    }

    synchronized List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    List<JsonNode> frames(String type) {
        return frames().stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    JsonNode last(String type) {
        List<JsonNode> ofType = frames(type);
        if (ofType.isEmpty()) {
            throw new AssertionError(name + " received no " + type + " frame; got " + frames());
        }
        return ofType.get(ofType.size() - 1);
    }

    List<String> errorCodes() {
        return frames("error").stream().map(f -> f.path("code").asText()).toList();
    }

    synchronized int closeCode() {
        return closeCode;
    }

    synchronized String closeReason() {
        return closeReason;
    }

    /** Waits (bounded) until the recorded frames satisfy the condition. */
    synchronized void awaitFrames(Predicate<List<JsonNode>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(frames)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + " timed out with " + frames.size() + " frames");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public String toString() {
        return "FakePeer[" + name + "]";
    }
}

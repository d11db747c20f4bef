package dev.callchat.core.local;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames queued while a room's lock is held, and what must happen once it is released: starting
 * sends and closing sockets call the {@link HubPeer}, which must never happen under a lock.
 */
final class Deliveries {
    private final List<MemberConnection> toStart = new ArrayList<>();
    private final List<Closing> toClose = new ArrayList<>();

    private record Closing(MemberConnection connection, int code, String reason) {
    }

    /** Queues a frame for a connection; the send starts (or the slow member is dropped) in {@link #run()}. */
    void send(MemberConnection connection, String frame) {
        switch (connection.offer(frame)) {
            case STARTED -> toStart.add(connection);
            case OVERFLOWED -> toClose.add(new Closing(connection, MemberConnection.TOO_SLOW, "too slow"));
            case QUEUED, DROPPED -> { }
        }
    }

    /** Closes a connection already marked closed, once the lock is released. */
    void close(MemberConnection connection, int code, String reason) {
        toClose.add(new Closing(connection, code, reason));
    }

    /** Call with no lock held. */
    void run() {
        for (MemberConnection connection : toStart) {
            connection.drain();
        }
        for (Closing closing : toClose) {
            closing.connection().finishClose(closing.code(), closing.reason());
        }
    }
}

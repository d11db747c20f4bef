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
        started(connection, connection.offer(frame));
    }

    private void started(MemberConnection connection, MemberConnection.Offer offer) {
        switch (offer) {
            case STARTED -> toStart.add(connection);
            case OVERFLOWED -> toClose.add(new Closing(connection, MemberConnection.TOO_SLOW, "too slow"));
            case QUEUED, DROPPED -> { }
        }
    }

    /** Queues a presence change for a connection, merged with others still waiting (see {@link PendingPresence}). */
    void presence(MemberConnection connection, String identity, String frame, boolean present) {
        started(connection, connection.offerPresence(identity, frame, present));
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

package dev.callchat.core.local;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Presence changes ({@code joined}/{@code left}) waiting to be sent to one member, merged per identity:
 * only the net change since what the member was last sent survives. A burst of hundreds of joins and
 * leaves therefore takes one place in a member's outbound queue and at most a few frames per identity,
 * instead of overflowing the queue of members who read normally (docs/local-protocol.md, "Presence").
 *
 * <p>Its size is bounded by the identities the member saw present plus those present now. Not
 * thread-safe: guarded by the owning connection's lock.
 */
final class PendingPresence {
    /**
     * The net change for one identity.
     *
     * @param left   the {@code left} frame to send first, when the member was last told the identity is present;
     *               else null
     * @param joined the {@code joined} frame to send, when the identity is present now; else null
     */
    private record Change(String left, String joined) {
    }

    private final Map<String, Change> changes = new LinkedHashMap<>();

    /**
     * Merges one event.
     *
     * @param identity whose presence changed
     * @param frame    the {@code joined} or {@code left} frame as broadcast
     * @param present  true for joined, false for left
     */
    void record(String identity, String frame, boolean present) {
        Change old = changes.get(identity);
        // Without an earlier change, a left means the member knows the identity as present; a joined that it does not.
        String left = old != null ? old.left() : present ? null : frame;
        String joined = present ? frame : null;
        if (left == null && joined == null) {
            changes.remove(identity); // came and went before the member heard of it
        } else {
            changes.put(identity, new Change(left, joined));
        }
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    /** @return the next frame to send, removing it; null when nothing is pending */
    String next() {
        Iterator<Map.Entry<String, Change>> it = changes.entrySet().iterator();
        if (!it.hasNext()) {
            return null;
        }
        Map.Entry<String, Change> first = it.next();
        Change change = first.getValue();
        if (change.left() != null) {
            if (change.joined() != null) {
                first.setValue(new Change(null, change.joined())); // left before joined: a replaced connection
            } else {
                it.remove();
            }
            return change.left();
        }
        it.remove();
        return change.joined();
    }
}

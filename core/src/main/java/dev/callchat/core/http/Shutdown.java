package dev.callchat.core.http;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** How every adapter stops: the same bounds, and one way to wait for them. */
public final class Shutdown {
    /** How long a stopping server lets requests in flight finish before it cuts them off. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a stopping server waits for its {@code /local/ws} sockets to finish their 1001 close
     * handshakes: stopping the transport at once cuts the close frames off and members see 1006.
     */
    public static final Duration SOCKET_CLOSE_WAIT = Duration.ofSeconds(2);

    private Shutdown() {
    }

    /**
     * Waits, polling every 10 ms, until the condition holds or the time is up. For stopping only:
     * it bounds a wait whose end cannot be observed otherwise.
     *
     * @param done    the condition, e.g. "no socket open"
     * @param atMost  the longest wait
     * @return whether the condition held in time (false also when interrupted; the flag is kept)
     */
    public static boolean await(BooleanSupplier done, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}

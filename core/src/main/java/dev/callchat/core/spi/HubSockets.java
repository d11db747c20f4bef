package dev.callchat.core.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server's open {@code /local/ws} sockets, so that a stopping server can wait (boundedly, see
 * {@code Shutdown.SOCKET_CLOSE_WAIT}) for their close handshakes (the hub closes them with 1001) before it stops
 * its transport: stopping at once cuts the close frames off and members see 1006. For adapters (see {@code docs/architecture.md}); applications never need it.
 */
public final class HubSockets {
    private final RoomHub hub;
    private final AtomicInteger open = new AtomicInteger();

    /** @param hub the local provider's hub the sockets connect to */
    public HubSockets(RoomHub hub) {
        this.hub = hub;
    }

    /**
     * @param peer the adapter's handle on a socket just opened
     * @return the socket, connected to the hub and counted until {@link HubSocket#onClose()}
     */
    public HubSocket connect(HubPeer peer) {
        open.incrementAndGet();
        return new HubSocket(hub, peer, open::decrementAndGet);
    }

    /** @return whether every socket {@link #connect connected} has closed */
    public boolean allClosed() {
        return open.get() == 0;
    }
}

package dev.callchat.browser;

/** A running callchat server that the browsers talk to. */
interface CallServer extends AutoCloseable {
    /** @return the page's address, {@code http://localhost:PORT/} (localhost: getUserMedia needs a secure context) */
    String baseUrl();

    /** Stops the server. */
    @Override
    void close();

    /** @return the address for a port on this machine */
    static String localhost(int port) {
        return "http://localhost:" + port + "/";
    }
}

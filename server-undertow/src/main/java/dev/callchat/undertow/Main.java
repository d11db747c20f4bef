package dev.callchat.undertow;

import dev.callchat.launcher.ServerMain;

/**
 * Runs callchat on Undertow: {@code java -jar callchat-undertow.jar}. Reads the environment (and a
 * {@code .env} file), listens on {@code HOST:PORT}, and stops gracefully on SIGTERM.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) {
        // Undertow logs through jboss-logging, which would pick java.util.logging; keep one log format.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        ServerMain.serve(CallChatUndertow::start);
    }
}

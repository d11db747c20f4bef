package dev.callchat.micronaut;

import dev.callchat.core.config.Config;
import dev.callchat.launcher.ServerMain;

/**
 * Runs callchat on Micronaut: {@code java -jar callchat-micronaut.jar}. Configuration comes from the
 * environment or a {@code .env} file (see {@link Config}); an invalid value stops start-up with one line
 * on stderr and exit status 2. SIGTERM shuts down gracefully.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args ignored: callchat is configured through the environment
     */
    public static void main(String[] args) {
        ServerMain.serve(CallChatMicronaut::start);
    }
}

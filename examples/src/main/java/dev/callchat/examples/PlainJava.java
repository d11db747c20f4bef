package dev.callchat.examples;

import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;

/** Example (a) of docs/embedding.md: core on its own, no HTTP server. */
public final class PlainJava {
    private PlainJava() {
    }

    /**
     * Logs "ana" into "My Room" and prints the session (the token itself is never printed).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(loginOnce(Config.fromEnvironment()));
    }

    /**
     * @param config the configuration; without Twilio credentials this is the local provider
     * @return the session a browser would receive
     */
    public static CallSession loginOnce(Config config) {
        // embed:plain-java
        try (CallSessionService calls = CallSessionService.create(config)) {
            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));
            return session; // token, conversation_sid, room, identity, expires_at, chat, provider
        }
        // end:plain-java
    }
}

package dev.callchat.examples;

// embed:plain-java-imports
import dev.callchat.core.CallSession;
import dev.callchat.core.CallSessionService;
import dev.callchat.core.LoginRequest;
import dev.callchat.core.config.Config;
// end:plain-java-imports

/** Example (a) of docs/embedding.md: core on its own, no HTTP server. */
public final class PlainJava {
    private PlainJava() {
    }

    /**
     * Logs "ana" into "My Room" and prints the session (the token itself is never printed).
     *
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) {
        // embed:plain-java
        Config config = Config.fromEnvironment();   // no TWILIO_* variables: the embedded local provider
        try (CallSessionService calls = CallSessionService.create(config)) {
            CallSession session = calls.login(LoginRequest.of("ana", "My Room"));
            System.out.println(session);   // identity, room, conversationSid, expiresAt, chat, provider; token redacted
        }
        // end:plain-java
    }
}

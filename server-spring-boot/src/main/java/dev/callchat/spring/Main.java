package dev.callchat.spring;

import dev.callchat.launcher.ServerMain;

/**
 * Runs callchat on Spring Boot: {@code java -jar callchat-spring-boot.jar}. Configuration comes from the
 * environment or a {@code .env} file; an invalid value stops start-up with one line on stderr and exit
 * status 2. SIGTERM shuts down gracefully.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args ignored; configuration comes from the environment
     */
    public static void main(String[] args) {
        ServerMain.serve(CallChatSpringBoot::start);
    }
}

package dev.callchat.browser;

import dev.callchat.core.config.Config;

/** Two browsers on the local provider through the Spring Boot server. */
class LocalCallOnSpringBootTest extends LocalCallContract {
    @Override
    protected CallServer start(Config config) {
        return Servers.springBoot(config);
    }
}

package dev.callchat.browser;

import dev.callchat.core.config.Config;

/** Two browsers on the local provider through the Micronaut server. */
class LocalCallOnMicronautTest extends LocalCallContract {
    @Override
    protected CallServer start(Config config) {
        return Servers.micronaut(config);
    }
}

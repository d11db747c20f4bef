package dev.callchat.browser;

import dev.callchat.core.config.Config;

/** Call awareness and the richer chat through the Micronaut server. */
class CallAwarenessOnMicronautTest extends CallAwarenessContract {
    @Override
    protected CallServer start(Config config) {
        return Servers.micronaut(config);
    }
}

package dev.callchat.browser;

import dev.callchat.core.config.Config;

/** Call awareness and the richer chat through the Undertow server. */
class CallAwarenessOnUndertowTest extends CallAwarenessContract {
    @Override
    protected CallServer start(Config config) {
        return Servers.undertow(config);
    }
}

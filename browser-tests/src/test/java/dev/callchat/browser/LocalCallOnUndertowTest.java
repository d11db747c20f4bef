package dev.callchat.browser;

import dev.callchat.core.config.Config;

/** Two browsers on the local provider through the Undertow server. */
class LocalCallOnUndertowTest extends LocalCallContract {
    @Override
    protected CallServer start(Config config) {
        return Servers.undertow(config);
    }
}

package dev.callchat.browser;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;

/** The page's server-dependent behaviour through the Micronaut server. */
class PageOnMicronautTest extends PageContract {
    @Override
    protected CallServer start(Config config, CallSessionService service) {
        return Servers.micronaut(config, service);
    }
}

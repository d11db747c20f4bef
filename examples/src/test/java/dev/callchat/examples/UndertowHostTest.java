package dev.callchat.examples;

import dev.callchat.core.config.Config;

import java.util.Map;

/** Example (b): callchat mounted under /video inside an application's own Undertow. */
class UndertowHostTest extends HostApplicationContract {
    private UndertowHost app;

    @Override
    int start() {
        app = UndertowHost.start(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off", "CALLCHAT_ROOM", "Video Lobby")), "127.0.0.1", 0);
        return app.baseUri().getPort();
    }

    @Override
    void stop() {
        app.close();
    }

    @Override
    Map.Entry<String, String> ownPage() {
        return Map.entry("/", "Our product's home page");
    }
}

package dev.callchat.browser;

import dev.callchat.testing.FakeTwilio;

import java.util.Map;

/**
 * The fixture of the tests of the page's Twilio path, with no network: the Undertow server in twilio mode
 * against the fake Twilio REST API, and browsers that get this module's scripted test doubles of the two
 * SDK bundles (its test resources shadow {@code vendor/video.js} and {@code vendor/conversations.js}).
 */
abstract class TwilioBrowserTest extends BrowserTest {
    /** The server's settings besides the fake's: a login rate no test reaches. */
    static final Map<String, String> SERVER = Map.of("CALLCHAT_LOGIN_RATE", "1000/m");

    protected FakeTwilio twilio;

    @Override
    protected CallServer startServer() {
        twilio = FakeTwilio.start();
        return Servers.alsoClosing(Servers.undertow(twilio.config(SERVER)), twilio);
    }
}

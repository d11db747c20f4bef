package dev.callchat.undertow;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.TwilioEventsContract;
import dev.callchat.testing.contract.RunningServer;

/** Holds the Undertow adapter to the contract of room events from Twilio (POST /twilio/events). */
class UndertowTwilioEventsTest extends TwilioEventsContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatUndertow server = CallChatUndertow.start(http, "127.0.0.1", 0);
        return new RunningServer(server.baseUri(), server);
    }
}

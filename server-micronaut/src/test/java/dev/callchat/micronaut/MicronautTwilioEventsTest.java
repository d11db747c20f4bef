package dev.callchat.micronaut;

import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.contract.TwilioEventsContract;

/** Holds the Micronaut adapter to the contract of room events from Twilio (POST /twilio/events). */
class MicronautTwilioEventsTest extends TwilioEventsContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        CallChatMicronaut server = CallChatMicronaut.start(ServerConfig.builder().port(0).build(), http);
        return new RunningServer(server.baseUri(), server);
    }
}

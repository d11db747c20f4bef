package dev.callchat.undertow.reliability;

import dev.callchat.core.CallSessionService;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.reliability.HostileClientsContract;
import dev.callchat.undertow.CallChatUndertow;

/** Hostile clients against the Undertow adapter. */
class UndertowHostileClientsTest extends HostileClientsContract {
    @Override
    protected RunningServer start(CallSessionService service) {
        CallChatUndertow server = CallChatUndertow.start(service, "127.0.0.1", 0);
        return new RunningServer(server.baseUri(), server);
    }
}

package dev.callchat.micronaut.reliability;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.micronaut.ReliabilityServers;
import dev.callchat.testing.contract.LogHygieneContract;
import dev.callchat.testing.contract.RunningServer;

/** The shared contract suite on Micronaut with every log event scanned for secrets. */
class LogHygieneContractTest extends LogHygieneContract {
    @Override
    protected RunningServer start(CallChatHttp http) {
        return ReliabilityServers.start(http);
    }
}

package dev.callchat.micronaut.reliability;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.reliability.HostileClientsContract;
import dev.callchat.micronaut.ReliabilityServers;
import dev.callchat.testing.contract.RunningServer;

/** Hostile clients against the Micronaut adapter. */
class MicronautHostileClientsTest extends HostileClientsContract {
    @Override
    protected RunningServer start(CallSessionService service) {
        return ReliabilityServers.start(service);
    }
}

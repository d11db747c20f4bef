package dev.callchat.micronaut.reliability;

import dev.callchat.core.CallSessionService;
import dev.callchat.micronaut.ReliabilityServers;
import dev.callchat.testing.contract.RunningServer;
import dev.callchat.testing.reliability.HostileClientsContract;

/** Hostile clients against the Micronaut adapter. */
class MicronautHostileClientsTest extends HostileClientsContract {
    @Override
    protected RunningServer start(CallSessionService service) {
        return ReliabilityServers.start(service);
    }
}

package dev.callchat.micronaut;

import dev.callchat.testing.Architecture;
import org.junit.jupiter.api.Test;

class AdapterArchitectureTest {
    @Test
    void adapterStaysOutOfProviderInternals() {
        Architecture.checkAdapter("dev.callchat.micronaut");
    }
}

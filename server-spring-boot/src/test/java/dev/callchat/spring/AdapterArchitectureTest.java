package dev.callchat.spring;

import dev.callchat.testing.Architecture;
import org.junit.jupiter.api.Test;

class AdapterArchitectureTest {
    @Test
    void adapterStaysOutOfProviderInternals() {
        Architecture.checkAdapter("dev.callchat.spring");
    }
}

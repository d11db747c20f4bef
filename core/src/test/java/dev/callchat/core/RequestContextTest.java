package dev.callchat.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestContextTest {
    @Test
    void aContextFromPlainValuesMatchesHeaderNamesCaseInsensitively() {
        RequestContext context = RequestContext.of(Map.of("X-Host-Session", "s-1"), "203.0.113.7");

        assertThat(context.header("x-host-session")).contains("s-1");
        assertThat(context.header("X-HOST-SESSION")).contains("s-1");
        assertThat(context.header("Cookie")).isEmpty();
        assertThat(context.remoteAddress()).isEqualTo("203.0.113.7");
    }
}

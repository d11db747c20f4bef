package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original tutorial's front-end logs in with {@code fetch('/login', {method: 'POST', body:
 * JSON.stringify({username})})}: no Content-Type, so Chromium sends {@code text/plain;charset=UTF-8}.
 * Run exactly that from the served page, on both servers, and read the tutorial's two fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(BrowserStock.Resolver.class)
class TutorialClientTest {
    private BrowserStock stock;
    private Browser browser;

    @BeforeAll
    void borrowBrowser(BrowserStock stock) {
        this.stock = stock;
        browser = stock.borrow(Chromium.require(), Chromium.DESKTOP, List.of());
    }

    @AfterAll
    void giveBrowserBack() {
        if (browser != null) {
            stock.giveBack(browser);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"undertow", "micronaut"})
    void theTutorialsFetchLogsInFromTheServedPage(String adapter) throws Exception {
        Config config = Config.from(Map.of("PORT", "0"));
        try (CallServer server = adapter.equals("undertow") ? Servers.undertow(config) : Servers.micronaut(config)) {
            browser.open(server.baseUrl());

            Object answer = browser.asyncScript("const done = arguments[arguments.length - 1];"
                    + " const username = 'tutorial';"
                    + " fetch('/login', {method: 'POST', body: JSON.stringify({username})})"
                    + ".then(r => r.json().then(body => done([r.status, typeof body.token, body.token.length > 0,"
                    + " 'conversation_sid' in body])))"
                    + ".catch(e => done(['failed: ' + e]));");

            assertThat(answer).as(browser.diagnostics()).isEqualTo(List.of(200L, "string", true, true));
        }
    }
}

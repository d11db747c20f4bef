package dev.callchat.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The fixture of every browser test class: one server for the class, browsers borrowed from the run's
 * {@link BrowserStock} (starting Chromium is the slow part) and a fresh room name for each test. A class
 * says which server it needs ({@link #startServer()}) and, if any, which Chromium switches its browsers
 * need ({@link #browserSwitches()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(BrowserStock.Resolver.class)
abstract class BrowserTest {
    protected Chromium chromium;
    protected CallServer server;
    protected BrowserPool browsers;
    /** A room no other test uses. */
    protected String room;
    private BrowserStock stock;
    private final List<Browser> borrowed = new ArrayList<>();

    /** @return the started server the class's browsers talk to; closed after the class */
    protected abstract CallServer startServer();

    /** @return the Chromium switches of the browsers {@link #browser()} hands out; none unless overridden */
    protected List<String> browserSwitches() {
        return List.of();
    }

    @BeforeAll
    void startServerAndBrowsers(BrowserStock stock) {
        this.stock = stock;
        chromium = Chromium.require();
        server = startServer();
        browsers = new BrowserPool(chromium, stock, Chromium.DESKTOP, browserSwitches());
    }

    @AfterAll
    void stopServerAndBrowsers() {
        try {
            if (browsers != null) {
                browsers.close();
            }
            borrowed.forEach(stock::giveBack);
            borrowed.clear();
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void freshRoom() {
        room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        browsers.release();
    }

    /** @return a browser showing a freshly loaded page (browsers are reused across tests: starting one is slow) */
    protected Browser browser() {
        return browsers.next(server.baseUrl());
    }

    /**
     * @param switches the Chromium switches of the browser
     * @return a desktop browser of its own for the whole class (given back after it), showing no page yet
     */
    protected Browser borrow(List<String> switches) {
        Browser browser = stock.borrow(chromium, Chromium.DESKTOP, switches);
        borrowed.add(browser);
        return browser;
    }
}

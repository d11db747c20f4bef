package dev.callchat.browser;

import org.openqa.selenium.Dimension;

import java.util.ArrayList;
import java.util.List;

/**
 * Browsers kept for a whole test class, borrowed from the run's {@link BrowserStock}. A test takes the next
 * one and gets it with the page freshly loaded, which leaves any call the previous test was in.
 */
final class BrowserPool implements AutoCloseable {
    private final Chromium chromium;
    private final BrowserStock stock;
    private final Dimension size;
    private final List<String> args;
    private final List<Browser> browsers = new ArrayList<>();
    private int used;

    /**
     * @param chromium starts browsers the stock does not have
     * @param stock    the run's browsers
     * @param size     the viewport of every browser of the pool
     * @param args     extra Chromium switches for every browser of the pool
     */
    BrowserPool(Chromium chromium, BrowserStock stock, Dimension size, List<String> args) {
        this.chromium = chromium;
        this.stock = stock;
        this.size = size;
        this.args = List.copyOf(args);
    }

    /** Makes every browser available again; call before each test. */
    void release() {
        used = 0;
    }

    /** @return a browser (borrowed if needed) showing a fresh copy of the page */
    Browser next(String url) {
        Browser browser = nextBlank();
        browser.open(url);
        return browser;
    }

    /** @return a browser (borrowed if needed) as the previous test left it, for tests that open pages themselves */
    Browser nextBlank() {
        if (used == browsers.size()) {
            browsers.add(stock.borrow(chromium, size, args));
        }
        return browsers.get(used++);
    }

    /** Gives every browser back to the stock. */
    @Override
    public void close() {
        browsers.forEach(stock::giveBack);
        browsers.clear();
    }
}

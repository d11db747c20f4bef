package dev.callchat.browser;

import org.openqa.selenium.Dimension;

import java.util.ArrayList;
import java.util.List;

/**
 * Browsers kept for a whole test class. Starting Chromium costs seconds; a test takes the next one and
 * gets it with the page freshly loaded, which leaves any call the previous test was in.
 */
final class BrowserPool implements AutoCloseable {
    private final Chromium chromium;
    private final Dimension size;
    private final List<String> args;
    private final List<Browser> browsers = new ArrayList<>();
    private int used;

    BrowserPool(Chromium chromium, Dimension size) {
        this(chromium, size, List.of());
    }

    /** @param args extra Chromium switches for every browser of the pool */
    BrowserPool(Chromium chromium, Dimension size, List<String> args) {
        this.chromium = chromium;
        this.size = size;
        this.args = List.copyOf(args);
    }

    /** Makes every browser available again; call before each test. */
    void release() {
        used = 0;
    }

    /** @return a browser (started if needed) showing a fresh copy of the page */
    Browser next(String url) {
        if (used == browsers.size()) {
            browsers.add(chromium.open(size, args));
        }
        Browser browser = browsers.get(used++);
        browser.open(url);
        return browser;
    }

    @Override
    public void close() {
        browsers.forEach(Browser::close);
        browsers.clear();
    }
}

package dev.callchat.browser;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.Dimension;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Browsers kept for the whole test run, so that a test class borrows them instead of starting its own:
 * starting Chromium and its chromedriver costs seconds on a busy machine, and most classes want the same
 * kind of browser. A browser is lent to one class at a time; when it comes back its call is left, the
 * sites it visited forget what they stored and its console is drained, so the next class gets a clean
 * browser. What is left idle is quit when the run ends ({@link Resolver} keeps the stock in the root
 * store, which closes it).
 */
final class BrowserStock implements AutoCloseable {
    private final Map<Kind, Deque<Browser>> idle = new HashMap<>();
    private final Map<Browser, Kind> lent = new IdentityHashMap<>();

    /** A browser's viewport and Chromium switches: browsers of one kind are interchangeable. */
    private record Kind(Dimension size, List<String> args) {
    }

    /**
     * @param chromium starts a browser when none of the kind is idle
     * @param size     the viewport
     * @param args     extra Chromium switches
     * @return a browser of that kind, lent until {@link #giveBack(Browser)}
     */
    synchronized Browser borrow(Chromium chromium, Dimension size, List<String> args) {
        Kind kind = new Kind(size, List.copyOf(args));
        Browser browser = idle.getOrDefault(kind, new ArrayDeque<>()).poll();
        if (browser == null) {
            browser = chromium.open(size, kind.args());
        }
        lent.put(browser, kind);
        return browser;
    }

    /** Takes a lent browser back, cleaned for the next class; one that cannot be cleaned is quit. */
    void giveBack(Browser browser) {
        Kind kind;
        synchronized (this) {
            kind = lent.remove(browser);
        }
        if (kind == null || !browser.forgetVisits()) {
            browser.close();
            return;
        }
        synchronized (this) {
            idle.computeIfAbsent(kind, k -> new ArrayDeque<>()).push(browser);
        }
    }

    @Override
    public void close() {
        List<Browser> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        all.forEach(Browser::close);
    }

    /**
     * Hands the run's stock to a {@code BrowserStock} parameter (of a {@code @BeforeAll} method, say) of
     * any class that registers this extension.
     */
    static final class Resolver implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrowserStock.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == BrowserStock.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(BrowserStock.class, k -> new BrowserStock(), BrowserStock.class);
        }
    }
}

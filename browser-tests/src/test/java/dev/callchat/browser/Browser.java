package dev.callchat.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** One headless Chromium showing the callchat page, with the page's vocabulary (join, chat, tiles). */
final class Browser implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(20);
    /**
     * How often a wait looks again. WebDriverWait's default (500 ms) made every wait that was not already
     * met cost half a second on average; a look is one local DevTools round trip, so looking often is cheap.
     */
    static final Duration POLL = Duration.ofMillis(50);

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Dimension window;
    /** The origins this browser has shown, whose storage {@link #forgetVisits()} clears. */
    private final java.util.Set<String> visited = new java.util.LinkedHashSet<>();

    Browser(ChromeDriver driver, ChromeDriverService service, Path profile, Dimension window) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
        this.window = window;
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String baseUrl) {
        // A blank page first, so a reload of the same URL still leaves the previous call (pagehide).
        driver.get("about:blank");
        java.net.URI uri = java.net.URI.create(baseUrl);
        visited.add(uri.getScheme() + "://" + uri.getAuthority());
        driver.get(baseUrl);
        resizeViewport(window);
        waitUntil("the join form", d -> d.findElement(By.id("username")).isDisplayed());
    }

    /** Types a name (and room), clicks Join and waits until the call view shows. */
    void join(String name, String room) {
        type(By.id("username"), name);
        type(By.id("room"), room);
        driver.findElement(By.id("join")).click();
        waitUntil("the call view after joining as " + name,
                d -> d.findElement(By.id("call")).isDisplayed() && d.findElement(By.id("status")).getText().startsWith("In "));
    }

    /** Sizes the window so that the page itself (the viewport, what screenshots show) has this size. */
    void resizeViewport(Dimension size) {
        driver.manage().window().setSize(size);
        Object inner = script("return [window.innerWidth, window.innerHeight]");
        List<?> wh = (List<?>) inner;
        int dw = size.getWidth() - ((Number) wh.get(0)).intValue();
        int dh = size.getHeight() - ((Number) wh.get(1)).intValue();
        if (dw != 0 || dh != 0) {
            driver.manage().window().setSize(new Dimension(size.getWidth() + dw, size.getHeight() + dh));
        }
    }

    /** Takes the browser off the network (DevTools network emulation: new connections fail, open sockets close) or back on. */
    void setOffline(boolean offline) {
        driver.executeCdpCommand("Network.enable", java.util.Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of(
                "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
        if (!offline) {
            driver.executeCdpCommand("Network.disable", java.util.Map.of()); // no emulation left for the next test
        }
    }

    void leave() {
        driver.findElement(By.id("leave")).click();
        waitUntil("the join form after leaving", d -> d.findElement(By.id("join-form")).isDisplayed());
    }

    void openChat() {
        WebElement toggle = driver.findElement(By.id("chat-toggle"));
        if (!"true".equals(toggle.getDomAttribute("aria-expanded"))) {
            toggle.click();
        }
        waitUntil("the chat panel", d -> d.findElement(By.id("chat")).isDisplayed());
    }

    /** Types into the chat box and presses Enter. */
    void sendChat(String text) {
        openChat();
        WebElement input = driver.findElement(By.id("chat-input"));
        waitUntil("the chat input to be enabled", d -> input.isEnabled());
        // sendKeys would turn a "\n" into Enter; set the value, then press the key for real.
        script("const i = document.getElementById('chat-input'); i.value = arguments[0];"
                + " i.dispatchEvent(new Event('input', {bubbles: true}));", text);
        input.sendKeys(Keys.ENTER);
        waitUntil("the chat input to clear", d -> input.getDomProperty("value").isEmpty());
    }

    /** @return every chat message shown, oldest first */
    List<ChatLine> messages() {
        // One script for the whole list: reading each element through WebDriver took four round trips per
        // message, which made polling a 60-message history cost seconds. textContent, as in text().
        List<?> rows = (List<?>) script("return [...document.querySelectorAll('#messages > li.message')].map(li =>"
                + " [li.querySelector('.author')?.textContent ?? null, li.querySelector('.text')?.textContent ?? null,"
                + " li.classList.contains('own')])");
        return rows.stream().map(r -> (List<?>) r)
                .map(r -> new ChatLine((String) r.get(0), (String) r.get(1), Boolean.TRUE.equals(r.get(2)))).toList();
    }

    ChatLine waitForMessage(String text) {
        return waitUntil("a chat message \"" + text + "\"",
                d -> messages().stream().filter(m -> m.text().equals(text)).findFirst().orElse(null));
    }

    /** @return the identities of remote tiles in the grid (camera tiles only) */
    List<String> remoteTiles() {
        return ((List<?>) script("return [...document.querySelectorAll('#grid .tile.camera[data-identity]')]"
                + ".map(t => t.getAttribute('data-identity'))")).stream().map(String.class::cast).toList();
    }

    /**
     * Waits until the camera tile of {@code identity} plays video: frames have a size and time advances.
     */
    void waitForPlayingVideo(String identity) {
        double[] first = waitUntil("video from " + identity + " to start", d -> {
            double[] s = videoState(identity);
            return s != null && s[0] > 0 && s[1] > 0 ? s : null;
        });
        waitUntil("video from " + identity + " to keep playing", d -> {
            double[] s = videoState(identity);
            return s != null && s[1] > first[1] + 0.3;
        });
    }

    /** @return {videoWidth, currentTime} of the camera tile of {@code identity}, or null without one */
    double[] videoState(String identity) {
        Object result = script("const t = [...document.querySelectorAll('#grid .tile.camera')]"
                + ".find(t => t.dataset.identity === arguments[0]);"
                + " const v = t && t.querySelector('video');"
                + " return v ? [v.videoWidth, v.currentTime] : null;", identity);
        if (!(result instanceof List<?> list)) {
            return null;
        }
        return new double[] {((Number) list.get(0)).doubleValue(), ((Number) list.get(1)).doubleValue()};
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    <T> T waitUntil(String what, Function<ChromeDriver, T> condition) {
        try {
            return new WebDriverWait(driver, PATIENCE).pollingEvery(POLL).withMessage(() -> "waiting for " + what + "\n" + diagnostics())
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> condition.apply((ChromeDriver) d));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    String notice() {
        WebElement notice = driver.findElement(By.id("notice"));
        return notice.isDisplayed() ? text(driver.findElement(By.id("notice-text"))) : "";
    }

    Path screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console and state, for failure messages. */
    String diagnostics() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("notice: ").append(notice()).append('\n');
            out.append("status: ").append(text(driver.findElement(By.id("status")))).append('\n');
            out.append("peers: ").append(script("const p = window.callchat && callchat.provider;"
                    + " if (!p || !p.peers) return 'none';"
                    + " return [...p.peers].map(([id, l]) => id + ' ' + l.pc.connectionState + '/' + l.pc.signalingState"
                    + " + '/' + l.pc.iceConnectionState + ' polite=' + l.polite + ' receivers='"
                    + " + l.pc.getReceivers().filter(r => r.track && r.track.readyState === 'live').length"
                    + " + ' remote=' + l.remote.size).join('; ')")).append('\n');
            out.append("own tracks: ").append(script("return window.callchat ? callchat.tracks.map(t => t.kind + '/'"
                    + " + t.readyState + '/enabled=' + t.enabled + '/muted=' + t.muted + '/' + t.label).join(', ') : 'none'")).append('\n');
            out.append("tiles: ").append(script("return [...document.querySelectorAll('#grid .tile')].map(t =>"
                    + " (t.dataset.identity || 'local') + ':' + t.className + ':' + (t.querySelector('video').srcObject"
                    + " ? t.querySelector('video').srcObject.getTracks().map(k => k.kind + '/' + k.readyState + '/' + k.muted).join(',') : 'none')"
                    + " + ':' + t.querySelector('video').videoWidth + ':' + t.querySelector('video').paused).join(' | ')")).append('\n');
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                out.append("console ").append(entry.getLevel()).append(": ").append(entry.getMessage()).append('\n');
            }
        } catch (WebDriverException e) {
            out.append("(no diagnostics: ").append(e.getMessage().lines().findFirst().orElse("")).append(")\n");
        }
        return out.toString();
    }

    private void type(By field, String text) {
        WebElement element = driver.findElement(field);
        element.clear();
        if (text != null && !text.isEmpty()) {
            element.sendKeys(text);
        }
    }

    private static String text(WebElement element) {
        // textContent, not getText(): the assertion is about what the DOM holds, hidden or not.
        return element.getDomProperty("textContent");
    }

    /**
     * Leaves the page (and so any call), makes every site shown so far forget what it stored (local
     * storage, IndexedDB, cookies, cache) and drains the console, so that the next user of this browser
     * starts as with a new one.
     *
     * @return false if the browser no longer answers (then it is of no further use)
     */
    boolean forgetVisits() {
        try {
            driver.get("about:blank");
            for (String origin : visited) {
                driver.executeCdpCommand("Storage.clearDataForOrigin", java.util.Map.of("origin", origin, "storageTypes", "all"));
            }
            visited.clear();
            driver.manage().logs().get(LogType.BROWSER);
            return true;
        } catch (WebDriverException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (WebDriverException ignored) {
            // already gone
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; the OS cleans up what we could not
        }
    }

    /** One chat message as shown. */
    record ChatLine(String author, String text, boolean own) {
    }

}

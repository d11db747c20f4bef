package dev.callchat.browser;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Debian's headless Chromium with its own chromedriver, never a downloaded one. Missing binaries fail the
 * test with the install command; only {@code CALLCHAT_SKIP_BROWSER=true} (environment or system property)
 * skips, for quick local runs.
 */
final class Chromium {
    static final Dimension DESKTOP = new Dimension(1280, 800);
    static final Dimension PHONE = new Dimension(390, 844);
    /** Two fake cameras ({@code fake_device_0}, {@code fake_device_1}), three microphones and three speakers. */
    static final String TWO_CAMERAS = "--use-fake-device-for-media-stream=device-count=2";

    private final Path chromium;
    private final Path chromedriver;

    private Chromium(Path chromium, Path chromedriver) {
        this.chromium = chromium;
        this.chromedriver = chromedriver;
    }

    /** @return the installed browser, or a failed (or, when asked for, skipped) test */
    static Chromium require() {
        assumeFalse(skipRequested(), "CALLCHAT_SKIP_BROWSER=true: browser tests skipped");
        Path browser = binary("CALLCHAT_CHROMIUM", "/usr/bin/chromium");
        Path driver = binary("CALLCHAT_CHROMEDRIVER", "/usr/bin/chromedriver");
        for (Path p : new Path[] {browser, driver}) {
            if (!Files.isExecutable(p)) {
                fail(p + " is missing: the browser tests need Debian's Chromium. Install it with"
                        + " 'apt-get install -y chromium chromium-driver' (or point CALLCHAT_CHROMIUM /"
                        + " CALLCHAT_CHROMEDRIVER at other binaries), or set CALLCHAT_SKIP_BROWSER=true to skip them locally.");
            }
        }
        return new Chromium(browser, driver);
    }

    /**
     * @param window    the viewport size
     * @param fakeMedia whether the browser has a fake camera and microphone; without, it has no devices at all
     */
    Browser open(Dimension window, boolean fakeMedia) {
        return open(window, fakeMedia, java.util.List.of());
    }

    /**
     * Starts a new browser with a fresh profile, fake camera/microphone and extra command-line switches
     * (for example {@code --use-file-for-fake-audio-capture=/tmp/tone.wav}).
     *
     * @param window    the viewport size
     * @param extraArgs more Chromium switches
     */
    Browser open(Dimension window, java.util.List<String> extraArgs) {
        return open(window, true, extraArgs);
    }

    private Browser open(Dimension window, boolean fakeMedia, java.util.List<String> extraArgs) {
        Path profile;
        try {
            profile = Files.createTempDirectory("callchat-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a Chromium profile directory", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--use-fake-ui-for-media-stream",
                // getDisplayMedia without a picker: the fake UI picks the current tab.
                "--auto-select-desktop-capture-source=callchat", "--enable-usermedia-screen-capturing",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check",
                "--window-size=" + window.getWidth() + "," + window.getHeight(),
                "--user-data-dir=" + profile);
        if (fakeMedia && extraArgs.stream().noneMatch(a -> a.startsWith("--use-fake-device-for-media-stream"))) {
            options.addArguments("--use-fake-device-for-media-stream");
        }
        options.addArguments(extraArgs);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver, service, profile, window);
    }

    static boolean skipRequested() {
        return "true".equalsIgnoreCase(System.getProperty("CALLCHAT_SKIP_BROWSER", System.getenv("CALLCHAT_SKIP_BROWSER")));
    }

    private static Path binary(String variable, String fallback) {
        String configured = System.getProperty(variable, System.getenv(variable));
        return Path.of(configured == null || configured.isBlank() ? fallback : configured);
    }
}

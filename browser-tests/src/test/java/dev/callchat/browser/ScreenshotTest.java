package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pictures of a two-person call with the chat open, for people to look at, in
 * {@code browser-tests/target/screenshots/}: desktop (1280x800) and phone (390x844).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScreenshotTest {
    private static final Path DIRECTORY = Path.of("target", "screenshots");

    private CallServer server;
    private BrowserPool browsers;

    @BeforeAll
    void start() {
        Chromium chromium = Chromium.require();
        server = Servers.undertow(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1000/m")));
        browsers = new BrowserPool(chromium, Chromium.DESKTOP);
    }

    @AfterAll
    void stop() {
        if (browsers != null) {
            browsers.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoPersonCallWithChatOpenAtDesktopAndPhoneWidths() throws IOException {
        Browser ana = browsers.next(server.baseUrl());
        Browser ben = browsers.next(server.baseUrl());
        ana.join("Ana", "Screenshots");
        ben.join("Ben", "Screenshots");
        ana.sendChat("Hi Ben! Can you see my screen?");
        ben.sendChat("Yes, loud and clear.");
        ana.sendChat("Great, let's start.");
        ana.waitForMessage("Yes, loud and clear.");
        ana.waitForPlayingVideo("Ben");

        Path desktop = shoot(ana, Chromium.DESKTOP, "call-desktop-1280x800.png");
        Path phone = shoot(ana, Chromium.PHONE, "call-phone-390x844.png");

        assertThat(size(desktop)).isEqualTo(Chromium.DESKTOP);
        assertThat(size(phone)).isEqualTo(Chromium.PHONE);
    }

    private static Path shoot(Browser browser, Dimension size, String name) {
        browser.resizeViewport(size);
        browser.openChat();
        browser.waitUntil("the layout at " + size, d -> size.equals(new Dimension(
                ((Number) browser.script("return window.innerWidth")).intValue(),
                ((Number) browser.script("return window.innerHeight")).intValue()))
                && d.findElement(By.id("chat")).isDisplayed());
        return browser.screenshot(DIRECTORY.resolve(name));
    }

    private static Dimension size(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        return new Dimension(image.getWidth(), image.getHeight());
    }
}

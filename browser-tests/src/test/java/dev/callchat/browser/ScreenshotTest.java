package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pictures of a two-person call with the chat open, for people to look at, in
 * {@code browser-tests/target/screenshots/}: desktop (1280x800) and phone (390x844).
 */
class ScreenshotTest extends BrowserTest {
    private static final Path DIRECTORY = Path.of("target", "screenshots");

    @Override
    protected CallServer startServer() {
        Config config = Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1000/m"));
        // Video for two per room, so the chat-only picture takes three browsers.
        return Servers.undertow(config, Servers.withVideoLimit(config, 2));
    }

    @Override
    protected List<String> browserSwitches() {
        return List.of(Chromium.TWO_CAMERAS);
    }

    @Test
    void twoPersonCallWithChatOpenAtDesktopAndPhoneWidths() throws IOException {
        Browser ana = browser();
        Browser ben = browser();
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

    @Test
    void joinScreenSpeakerViewAndAChatOnlyMember() throws IOException {
        Browser ana = browser();
        Browser ben = browser();
        Browser cleo = browser();
        ana.driver().findElement(By.id("username")).sendKeys("Ana");
        ana.driver().findElement(By.id("room")).sendKeys("Design review");
        ana.waitUntil("the preview", d -> Boolean.TRUE.equals(ana.script(
                "return document.getElementById('preview').videoWidth > 0 && document.getElementById('camera-select').options.length > 1")));
        Path prejoin = ana.screenshot(DIRECTORY.resolve("prejoin-1280x800.png"));

        ana.join("Ana", "Design review");
        ben.join("Ben", "Design review");
        ana.waitForPlayingVideo("Ben");
        ana.driver().findElement(By.id("layout")).click();
        ana.waitUntil("Ben large", d -> Boolean.TRUE.equals(ana.script(
                "const t = document.querySelector('#grid .tile.featured'); return !!t && t.dataset.identity === 'Ben'"
                        + " && t.querySelector('video').videoWidth > 0")));
        Path speaker = ana.screenshot(DIRECTORY.resolve("speaker-view-1280x800.png"));

        ana.sendChat("Ben, can you share the mock-ups?");
        cleo.join("Cleo", "Design review");
        cleo.waitUntil("the full-call view", d -> d.findElement(By.id("full")).isDisplayed());
        cleo.sendChat("I'm in the chat, the call is full.");
        cleo.waitForMessage("I'm in the chat, the call is full.");
        Path chatOnly = cleo.screenshot(DIRECTORY.resolve("chat-only-1280x800.png"));

        for (Path png : new Path[] {prejoin, speaker, chatOnly}) {
            assertThat(size(png)).isEqualTo(Chromium.DESKTOP);
        }
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

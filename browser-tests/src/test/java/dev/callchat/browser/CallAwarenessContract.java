package dev.callchat.browser;

import dev.callchat.core.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call awareness and the richer chat, in two real browsers on the local provider: ana's fake microphone
 * plays a steady tone, ben's plays silence, so exactly one of them is speaking.
 */
abstract class CallAwarenessContract extends BrowserTest {
    /** Where the fake microphones' recordings are written, the same for every class so that browsers can be shared. */
    private static final Path AUDIO = Path.of("target", "fake-audio").toAbsolutePath();
    private Browser ana;
    private Browser ben;

    /**
     * @param config the local-provider configuration
     * @return the started server
     */
    protected abstract CallServer start(Config config);

    @Override
    protected CallServer startServer() {
        return start(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "1000/m", "CALLCHAT_MAX_UPLOAD", "2MB")));
    }

    @BeforeAll
    void borrowTheTwoBrowsers() {
        ana = borrow(List.of("--use-file-for-fake-audio-capture=" + wav("tone.wav", 0.6)));
        ben = borrow(List.of("--use-file-for-fake-audio-capture=" + wav("silence.wav", 0.0)));
    }

    @BeforeEach
    void bothInAFreshRoom() {
        ana.open(server.baseUrl());
        ben.open(server.baseUrl());
        ana.join("ana", room);
        ben.join("ben", room);
    }

    @Test
    void theSpeakingParticipantsTileIsMarkedAndTheSilentOneIsNot() {
        ben.waitUntil("ana's tile to show her speaking", d -> hasClass(ben, "ana", "speaking"));
        ana.waitUntil("ana's own tile to show her speaking", d -> (Boolean) ana.script(
                "return document.querySelector('#grid .tile.local.camera').classList.contains('speaking')"));

        ana.waitUntil("ben's tile to carry media", d -> ana.videoState("ben") != null && ana.videoState("ben")[0] > 0);
        assertThat(hasClass(ana, "ben", "speaking")).isFalse();
        assertThat(hasClass(ben, "ben", "speaking")).isFalse();
    }

    @Test
    void inSpeakerViewTheSpeakingParticipantIsShownLarge() {
        ben.waitUntil("ana's tile to show her speaking", d -> hasClass(ben, "ana", "speaking"));

        ben.driver().findElement(By.id("layout")).click();

        ben.waitUntil("ana's tile to be the large one", d -> hasClass(ben, "ana", "featured"));
        assertThat(ben.script("const g = document.getElementById('grid').getBoundingClientRect();"
                + " return document.querySelector('#grid .tile.featured').getBoundingClientRect().width / g.width > 0.9"))
                .isEqualTo(true);
    }

    @Test
    void afterAQuickReloadAndRejoinTheNewTileShowsTheSpeakingHighlightAndNetworkQuality() {
        ben.waitUntil("ana's tile to show her speaking", d -> hasClass(ben, "ana", "speaking"));
        ben.script("document.querySelector('#grid .tile.camera[data-identity=ana]').dataset.before = 'reload'");

        ana.open(server.baseUrl());
        ana.join("ana", room);

        ben.waitUntil("ana's new tile to show her speaking and her link's quality", d -> Boolean.TRUE.equals(ben.script(
                "const t = document.querySelector('#grid .tile.camera[data-identity=ana]');"
                        + " return !!t && !t.dataset.before && t.classList.contains('speaking') && !!t.querySelector('.quality');")));
    }

    @Test
    void eachRemoteTileShowsANetworkQualityIndicatorWithATextLabel() {
        String label = ben.waitUntil("a quality indicator on ana's tile", d -> {
            List<WebElement> q = d.findElements(By.cssSelector("#grid .tile.camera[data-identity='ana'] .quality"));
            return q.isEmpty() ? null : q.get(0).getDomAttribute("aria-label");
        });
        WebElement indicator = ben.driver().findElement(By.cssSelector("#grid .tile.camera[data-identity='ana'] .quality"));

        assertThat(label).matches("Network quality: [a-z ]+ \\([0-5] of 5\\)");
        assertThat(indicator.getDomAttribute("role")).isEqualTo("img");
        assertThat(Integer.parseInt(indicator.getDomAttribute("data-level"))).isBetween(0, 5);
    }

    @Test
    void typingInOneBrowserShowsInTheOther() {
        ben.openChat();
        ana.openChat();

        ana.driver().findElement(By.id("chat-input")).sendKeys("hel");

        ben.waitUntil("ana's typing indicator", d -> "ana is typing…".equals(
                d.findElement(By.id("typing")).getDomProperty("textContent")));
        assertThat(ana.driver().findElement(By.id("typing")).getDomProperty("textContent")).isEmpty();
        assertThat(ben.driver().findElement(By.id("typing")).getDomAttribute("aria-live")).isEqualTo("polite");
    }

    @Test
    void anImageSentByAnaReachesBenIntactAndShowsAsAThumbnail() throws Exception {
        byte[] png = png(64, 48);
        ben.openChat();
        ana.openChat();

        attach(ana, "photo.png", "image/png", png);

        String id = ben.waitUntil("the shared file in ben's chat", d -> {
            List<WebElement> files = d.findElements(By.cssSelector("#messages .file[data-file-id]"));
            return files.isEmpty() ? null : files.get(0).getDomAttribute("data-file-id");
        });
        assertThat(sha256InBrowser(ben, id)).isEqualTo(sha256(png));
        Long width = ben.waitUntil("the thumbnail to load", d -> {
            Object w = ben.script("const i = document.querySelector('#messages .file img');"
                    + " return i && i.complete && !i.hidden ? i.naturalWidth : null;");
            return w == null ? null : ((Number) w).longValue();
        });
        assertThat(width).isEqualTo(64L);
        assertThat(ben.waitForMessage("photo.png").author()).isEqualTo("ana");
    }

    @Test
    void someoneOutsideTheRoomCannotFetchAFileAndNoTokenIsUnauthorized() throws Exception {
        ana.openChat();
        attach(ana, "notes.txt", "text/plain", "meeting notes\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String id = ana.waitUntil("the shared file in ana's chat", d -> {
            List<WebElement> files = d.findElements(By.cssSelector("#messages .file[data-file-id]"));
            return files.isEmpty() ? null : files.get(0).getDomAttribute("data-file-id");
        });

        // Log in as someone in another room (from ben's page, without disturbing his call), then try.
        Object result = ben.asyncScript("const done = arguments[arguments.length - 1];"
                + "(async () => {"
                + "  const login = await fetch('login', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                + "    body: JSON.stringify({username: 'mallory', room: 'elsewhere-' + arguments[1]})});"
                + "  const token = (await login.json()).token;"
                + "  const other = await fetch('local/files/' + arguments[0], {headers: {Authorization: 'Bearer ' + token}});"
                + "  const none = await fetch('local/files/' + arguments[0]);"
                + "  return [other.status, other.headers.get('Content-Type'), (await other.json()).status,"
                + "          none.status, none.headers.get('Content-Type')];"
                + "})().then(done, e => done(String(e)));", id, room);

        assertThat(result).isEqualTo(List.of(403L, "application/problem+json", 403L, 401L, "application/problem+json"));
    }

    @Test
    void anOversizedFileIsRefusedWithAClearMessageAndNothingArrives() {
        ana.openChat();
        ben.openChat();

        attach(ana, "huge.txt", "text/plain", new byte[3 * 1024 * 1024]);

        String state = ana.waitUntil("the refusal", d -> {
            String text = d.findElement(By.id("chat-state")).getDomProperty("textContent");
            return text.startsWith("not sent") ? text : null;
        });
        assertThat(state).contains("limited to 2.0 MB");
        ana.sendChat("after the refusal");
        ben.waitForMessage("after the refusal");
        assertThat(ben.driver().findElements(By.cssSelector("#messages .file"))).isEmpty();
    }

    @Test
    void theUnreadBadgeSurvivesAReload() {
        ana.sendChat("one");
        ana.sendChat("two");
        ben.openChat();
        ben.waitForMessage("two");
        ben.driver().findElement(By.id("chat-close")).click();
        ana.sendChat("three");
        ben.waitUntil("the unread badge", d -> "1".equals(d.findElement(By.id("unread")).getDomProperty("textContent")));

        ben.open(server.baseUrl());
        ben.join("ben", room);

        ben.waitUntil("the unread badge after the reload", d -> d.findElement(By.id("unread")).isDisplayed()
                && "1".equals(d.findElement(By.id("unread")).getDomProperty("textContent")));
    }

    private static boolean hasClass(Browser browser, String identity, String cls) {
        return Boolean.TRUE.equals(browser.script("const t = [...document.querySelectorAll('#grid .tile.camera')]"
                + ".find(t => t.dataset.identity === arguments[0]); return Boolean(t && t.classList.contains(arguments[1]));",
                identity, cls));
    }

    /** Puts a file into the page's file input the way a picker would, which sends it. */
    private static void attach(Browser browser, String name, String type, byte[] content) {
        browser.script("const bytes = Uint8Array.from(atob(arguments[2]), c => c.charCodeAt(0));"
                + " const dt = new DataTransfer(); dt.items.add(new File([bytes], arguments[0], {type: arguments[1]}));"
                + " const input = document.getElementById('chat-file'); input.files = dt.files;"
                + " input.dispatchEvent(new Event('change', {bubbles: true}));",
                name, type, Base64.getEncoder().encodeToString(content));
    }

    /** Fetches a shared file through the page's provider (the same path the Download button takes) and hashes it. */
    private static String sha256InBrowser(Browser browser, String id) {
        Object hex = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + " window.callchat.provider.fetchFile({id: arguments[0]})"
                + "  .then(b => b.arrayBuffer()).then(a => crypto.subtle.digest('SHA-256', a))"
                + "  .then(h => done([...new Uint8Array(h)].map(x => x.toString(16).padStart(2, '0')).join('')),"
                + "        e => done('failed: ' + e));", id);
        return String.valueOf(hex);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0xffffff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * 10 s of a 440 Hz tone (or silence), 16-bit mono 48 kHz PCM; Chromium loops it as the microphone.
     * Written once (its content never changes), as a browser of an earlier class may still use it.
     */
    private static synchronized Path wav(String name, double amplitude) {
        Path file = AUDIO.resolve(name);
        if (Files.exists(file)) {
            return file;
        }
        int rate = 48_000;
        int samples = rate * 10;
        ByteBuffer data = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            data.putShort((short) (amplitude * Short.MAX_VALUE * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        try {
            Files.createDirectories(AUDIO);
            Path partial = Files.write(AUDIO.resolve(name + ".part"), data.array());
            return Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

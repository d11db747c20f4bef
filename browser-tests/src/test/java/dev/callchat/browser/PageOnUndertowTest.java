package dev.callchat.browser;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page through the Undertow server: the shared contract, plus what does not depend on the server
 * (pre-join screen, device choice and switching, layout, the chat box), which runs once, here. Every
 * browser has two fake cameras.
 */
class PageOnUndertowTest extends PageContract {
    private static final String SAVED = "callchat.devices";

    @Override
    protected CallServer start(Config config, CallSessionService service) {
        return Servers.undertow(config, service);
    }

    @Test
    void theJoinScreenShowsALivePreviewAMovingMicrophoneMeterAndTheDevices() {
        Browser ana = browser();
        ana.script("window.loudest = 0; const m = document.getElementById('mic-meter');"
                + " new MutationObserver(() => { loudest = Math.max(loudest, Number(m.getAttribute('aria-valuenow'))); })"
                + ".observe(m, {attributes: true});");
        ana.driver().findElement(By.id("username")).click(); // browsers start audio after an interaction

        ana.waitUntil("the camera preview to play", d -> Boolean.TRUE.equals(ana.script(
                "const v = document.getElementById('preview'); return v.videoWidth > 0 && v.currentTime > 0.3;")));
        ana.waitUntil("the microphone meter to move", d -> ((Number) ana.script("return loudest")).intValue() > 0);
        assertThat(options(ana, "camera-select")).hasSize(2);
        assertThat(options(ana, "mic-select")).isNotEmpty();
        assertThat(options(ana, "speaker-select")).isNotEmpty();
        assertThat(ana.driver().findElement(By.id("speaker-select")).isDisplayed()).isTrue();
        assertThat(new Select(ana.driver().findElement(By.id("camera-select"))).getFirstSelectedOption().getText())
                .isEqualTo(ana.script("return document.getElementById('preview').srcObject.getVideoTracks()[0].label"));
    }

    @Test
    void choicesAreRememberedOnThisDeviceAndJoiningMutedWithCameraOffStartsTheCallThatWay() {
        Browser ana = browser();
        Browser ben = browser();
        try {
            waitForPreview(ana);
            String second = options(ana, "camera-select").get(1);
            new Select(ana.driver().findElement(By.id("camera-select"))).selectByIndex(1);
            ana.waitUntil("the preview from the second camera", d -> second.equals(ana.script(
                    "const s = document.getElementById('preview').srcObject; return s && s.getVideoTracks()[0].label;")));
            ana.driver().findElement(By.id("join-muted")).click();
            ana.driver().findElement(By.id("join-camera-off")).click();

            ana.open(server.baseUrl());
            waitForPreview(ana);
            assertThat(new Select(ana.driver().findElement(By.id("camera-select"))).getFirstSelectedOption().getText()).isEqualTo(second);
            assertThat(ana.driver().findElement(By.id("join-muted")).isSelected()).isTrue();
            assertThat(ana.driver().findElement(By.id("join-camera-off")).isSelected()).isTrue();

            ben.join("ben", room);
            ana.join("ana", room);

            assertThat(ana.driver().findElement(By.id("mic")).getText()).isEqualTo("Unmute");
            assertThat(ana.driver().findElement(By.id("camera")).getText()).isEqualTo("Camera on");
            assertThat(ana.script("return callchat.tracks.length === 2 && callchat.tracks.every(t => !t.enabled)")).isEqualTo(true);
            assertThat(ana.script("return callchat.tracks.find(t => t.kind === 'video').label")).isEqualTo(second);
            ben.waitUntil("ana's tile to show muted and camera off", d -> Boolean.TRUE.equals(ben.script(
                    "const t = document.querySelector('#grid .tile.camera[data-identity=ana]');"
                            + " return !!t && t.classList.contains('mic-off') && t.classList.contains('camera-off');")));
        } finally {
            ana.script("localStorage.removeItem(arguments[0])", SAVED);
        }
    }

    @Test
    void deniedDevicesAreExplainedBeforeJoiningAndTryAgainPicksThemUp() {
        Browser ana = browsers.nextBlank();
        // The browser refuses as it does when someone clicks "Block" (NotAllowedError), until the test lifts it.
        Object refusal = ana.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);"
                        + " navigator.mediaDevices.getUserMedia = (c) => localStorage.getItem('test.block') === 'yes'"
                        + " ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) : real(c);")).get("identifier");
        try {
            ana.driver().get(server.baseUrl());
            ana.script("localStorage.setItem('test.block', 'yes')");
            ana.open(server.baseUrl());

            String note = ana.waitUntil("the explanation", d -> {
                var n = d.findElement(By.id("preview-note"));
                return n.isDisplayed() && n.getText().contains("denied") ? n.getText() : null;
            });
            assertThat(note).isEqualTo("Permission to use your camera and microphone was denied. Allow access in the"
                    + " browser's site settings, then try again.");
            assertThat(ana.driver().findElement(By.id("retry-devices")).isDisplayed()).isTrue();

            ana.script("localStorage.removeItem('test.block')");
            ana.driver().findElement(By.id("retry-devices")).click();

            waitForPreview(ana);
            ana.waitUntil("the explanation to go", d -> !d.findElement(By.id("preview-note")).isDisplayed());
            assertThat(ana.driver().findElement(By.id("retry-devices")).isDisplayed()).isFalse();
        } finally {
            // The pool's browser goes on to other tests: without the refusal, and with nothing stored.
            ana.driver().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", refusal));
            ana.script("localStorage.removeItem('test.block'); localStorage.removeItem(arguments[0])", SAVED);
        }
    }

    @Test
    void switchingCameraAndMicrophoneInTheCallReplacesWhatThePeerReceives() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ben.waitForPlayingVideo("ana");
        String oldCamera = (String) ana.script("return callchat.tracks.find(t => t.kind === 'video').label");
        String otherCamera = options(ana, "camera-select").stream().filter(o -> !o.equals(oldCamera)).findFirst().orElseThrow();
        String oldMic = (String) ana.script("return callchat.tracks.find(t => t.kind === 'audio').label");

        ana.driver().findElement(By.id("device-toggle")).click();
        new Select(ana.driver().findElement(By.id("camera-select"))).selectByVisibleText(otherCamera);
        Select mics = new Select(ana.driver().findElement(By.id("mic-select")));
        String otherMic = options(ana, "mic-select").stream().filter(t -> !t.equals(oldMic) && !t.startsWith("Default")).findFirst().orElseThrow();
        ana.waitUntil("the new camera to be sent", d -> otherCamera.equals(senderLabel(ana, "video")));
        mics.selectByVisibleText(otherMic);
        ana.waitUntil("the new microphone to be sent", d -> otherMic.equals(senderLabel(ana, "audio")));

        assertThat(ana.script("return callchat.tracks.map(t => t.label).sort()")).isEqualTo(List.of(otherCamera, otherMic).stream().sorted().toList());
        assertThat(ana.script("return callchat.provider.cameraStream.getTracks().every(t => t.readyState === 'live')")).isEqualTo(true);
        ben.waitForPlayingVideo("ana");
        Select speakers = new Select(ana.driver().findElement(By.id("speaker-select")));
        speakers.selectByIndex(speakers.getOptions().size() - 1);
        String sink = speakers.getFirstSelectedOption().getDomAttribute("value");
        ana.waitUntil("ben's sound on the chosen speaker", d -> sink.equals(ana.script(
                "return document.querySelector('#grid .tile.camera[data-identity=ben] video').sinkId")));
        assertThat(ana.script("return JSON.parse(localStorage.getItem(arguments[0])).camera", SAVED))
                .isEqualTo(ana.script("return callchat.tracks.find(t => t.kind === 'video').getSettings().deviceId"));
        ana.script("localStorage.removeItem(arguments[0])", SAVED);
    }

    @Test
    void whenTheCameraIsUnpluggedTheCallFallsBackToAnotherWithANotice() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ben.waitForPlayingVideo("ana");
        String before = (String) ana.script("return callchat.tracks.find(t => t.kind === 'video').label");

        // What an unplugged device looks like to the page: its track ends without the page stopping it.
        ana.script("const t = callchat.tracks.find(t => t.kind === 'video'); t.stop(); t.dispatchEvent(new Event('ended'));");

        String notice = ana.waitUntil("the notice", d -> ana.notice().isEmpty() ? null : ana.notice());
        String after = (String) ana.script("return callchat.tracks.find(t => t.kind === 'video').label");
        assertThat(after).isNotEqualTo(before);
        assertThat(notice).isEqualTo("Your camera (" + before + ") was disconnected, so the call now uses " + after + ".");
        ana.waitUntil("the other camera to be sent", d -> after.equals(senderLabel(ana, "video")));
        ben.waitForPlayingVideo("ana");
        ben.waitUntil("ana's picture to keep arriving", d -> Boolean.TRUE.equals(ben.script(
                "const v = document.querySelector('#grid .tile.camera[data-identity=ana] video');"
                        + " return v.srcObject.getVideoTracks().every(t => !t.muted);")));
        ana.script("localStorage.removeItem(arguments[0])", SAVED);
    }

    @Test
    void aScreenShareIsShownLargeAndWholeAndCameraPicturesAreNotCropped() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ben.waitForPlayingVideo("ana");

        ana.driver().findElement(By.id("share")).click();

        ben.waitUntil("ana's screen", d -> Boolean.TRUE.equals(ben.script(
                "const v = document.querySelector('#grid .tile.screen[data-identity=ana] video'); return !!v && v.videoWidth > 0;")));
        double share = ((Number) ben.script("const g = document.getElementById('grid').getBoundingClientRect();"
                + " const t = document.querySelector('#grid .tile.screen').getBoundingClientRect(); return t.width / g.width;")).doubleValue();
        assertThat(share).as("the screen's share of the grid's width").isGreaterThan(0.9);
        assertThat(ben.script("return document.querySelector('#grid .tile.screen').classList.contains('featured')")).isEqualTo(true);
        assertThat(ben.script("return [...document.querySelectorAll('#grid .tile video')].map(v => getComputedStyle(v).objectFit)"))
                .asList().hasSize(3).containsOnly("contain");
    }

    @Test
    void speakerViewShowsOneTileLargeAndAPinnedTileStaysLarge() {
        Browser ana = browser();
        Browser ben = browser();
        ana.join("ana", room);
        ben.join("ben", room);
        ana.waitForPlayingVideo("ben");

        ana.driver().findElement(By.id("layout")).click();

        assertThat(ana.driver().findElement(By.id("layout")).getText()).isEqualTo("Gallery view");
        assertThat(featured(ana)).isEqualTo("ben");
        assertThat(widthShare(ana, "#grid .tile.featured")).isGreaterThan(0.9);
        ana.driver().findElement(By.cssSelector("#grid .tile.local")).click();
        assertThat(featured(ana)).isEqualTo("local");
        assertThat(ana.script("return document.querySelector('#grid .tile.local').getAttribute('aria-pressed')")).isEqualTo("true");
        ana.script("callchat.grid.setSpeaking('ben', true)");
        assertThat(featured(ana)).as("the pin wins over the speaker").isEqualTo("local");

        ana.driver().findElement(By.cssSelector("#grid .tile.local")).click();
        assertThat(featured(ana)).isEqualTo("ben");
        ana.driver().findElement(By.id("layout")).click();
        assertThat(featured(ana)).as("gallery view: equal tiles").isEqualTo("none");
    }

    @Test
    void theChatBoxHintFitsOnDesktopAndPhone() {
        Browser ana = browser();
        ana.join("ana", room);
        ana.openChat();

        try {
            fitsAt(ana, Chromium.DESKTOP);
            fitsAt(ana, Chromium.PHONE);
        } finally {
            ana.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private static void fitsAt(Browser ana, org.openqa.selenium.Dimension size) {
        {
            // DevTools' device metrics rather than a window resize: the window of a long-used browser may not shrink that far.
            ana.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", size.getWidth(), "height", size.getHeight(), "deviceScaleFactor", 1, "mobile", false));
            ana.waitUntil("the layout at " + size, d -> Long.valueOf(size.getWidth()).equals(ana.script("return window.innerWidth")));
            List<?> fit = (List<?>) ana.script("const i = document.getElementById('chat-input'); const cs = getComputedStyle(i);"
                    + " const c = document.createElement('canvas').getContext('2d'); c.font = cs.font;"
                    + " return [c.measureText(i.placeholder).width + 0.0,"
                    + "   i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) + 0.0];");
            assertThat(((Number) fit.get(0)).doubleValue()).as("placeholder width at " + size)
                    .isLessThanOrEqualTo(((Number) fit.get(1)).doubleValue());
            assertThat(ana.script("const k = document.getElementById('chat-keys'); return k.scrollWidth <= k.clientWidth && k.offsetHeight > 0"))
                    .as("the key hint at " + size).isEqualTo(true);
        }
    }

    @Test
    void speakingAndNetworkQualityAreReportedAfreshForSomeoneWhoRejoinedBetweenTwoPolls() {
        Browser ana = browser();
        // link-stats.js against scripted peer connections: ben's link is replaced by a new one (a quick
        // reload and rejoin) without ever being absent when the stats are polled.
        Object result = ana.asyncScript("const done = arguments[arguments.length - 1]; (async () => {"
                + " const { watchLinks } = await import('./js/providers/link-stats.js');"
                + " const link = () => { let n = 0; return { connectionState: 'connected', getStats: async () => { n += 50; return new Map(["
                + "   ['a', {type: 'inbound-rtp', kind: 'audio', audioLevel: 0.5, packetsLost: 0, packetsReceived: n}],"
                + "   ['t', {type: 'transport', selectedCandidatePairId: 'p'}],"
                + "   ['p', {type: 'candidate-pair', id: 'p', currentRoundTripTime: 0.01}]]); } }; };"
                + " let links = new Map([['ben', link()]]); let events = [];"
                + " const stop = watchLinks(() => links, (type, d) => events.push(type + ':' + d.identity + ':' + (d.speaking ?? d.level)));"
                + " const until = async (f) => { for (let i = 0; i < 150 && !f(); i++) await new Promise(r => setTimeout(r, 100)); return f(); };"
                + " const first = await until(() => events.includes('speaking:ben:true') && events.includes('network-quality:ben:5'));"
                + " events = []; links = new Map([['ben', link()]]);"
                + " const again = await until(() => events.includes('speaking:ben:true') && events.includes('network-quality:ben:5'));"
                + " stop(); return [first, again, events.filter(e => e.startsWith('network-quality:ben:0')).length];"
                + "})().then(done, e => done(String(e)));");

        assertThat(result).isEqualTo(List.of(true, true, 0L));
    }

    private static List<String> options(Browser browser, String select) {
        // textContent: the selects may sit in the closed Devices menu, where getText() sees nothing
        return new Select(browser.driver().findElement(By.id(select))).getOptions().stream()
                .map(o -> o.getDomProperty("textContent")).toList();
    }

    private static void waitForPreview(Browser browser) {
        browser.waitUntil("the camera preview", d -> Boolean.TRUE.equals(browser.script(
                "const v = document.getElementById('preview'); return v.videoWidth > 0"
                        + " && document.getElementById('camera-select').options.length > 1;")));
    }

    /** @return the label of the track the local provider sends to its (only) peer for that kind */
    private static String senderLabel(Browser browser, String kind) {
        return (String) browser.script("const p = [...callchat.provider.peers.values()][0];"
                + " const s = p && p.pc.getSenders().find(s => s.track && s.track.kind === arguments[0]);"
                + " return s ? s.track.label : null;", kind);
    }

    /** @return "local", the identity of the featured tile, or "none" */
    private static String featured(Browser browser) {
        return (String) browser.script("const t = document.querySelector('#grid .tile.featured');"
                + " return !t ? 'none' : (t.classList.contains('local') ? 'local' : t.dataset.identity);");
    }

    private static double widthShare(Browser browser, String css) {
        return ((Number) browser.script("const g = document.getElementById('grid').getBoundingClientRect();"
                + " return document.querySelector(arguments[0]).getBoundingClientRect().width / g.width;", css)).doubleValue();
    }
}

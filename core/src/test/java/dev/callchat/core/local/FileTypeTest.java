package dev.callchat.core.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FileTypeTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] PDF = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void recognisesImagesByTheirMagicBytes() {
        assertThat(FileType.sniff(PNG)).contains(FileType.PNG);
        assertThat(FileType.sniff(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16})).contains(FileType.JPEG);
        assertThat(FileType.sniff("GIF89a\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1))).contains(FileType.GIF);
        assertThat(FileType.sniff("RIFF\u0010\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1))).contains(FileType.WEBP);
    }

    @Test
    void recognisesPdfAndPlainUtf8Text() {
        assertThat(FileType.sniff(PDF)).contains(FileType.PDF);
        assertThat(FileType.sniff("Grüße, ana\r\n\tline two\n".getBytes(StandardCharsets.UTF_8))).contains(FileType.TEXT);
    }

    @Test
    void ignoresWhatTheNameOrClaimedTypeWouldSay() {
        byte[] exe = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0};
        assertThat(FileType.sniff(exe)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PK\u0003\u0004zip", "\u0000\u0001binary", "ELF\u007f\u0002"})
    void refusesBinariesThatAreNoneOfTheAllowedTypes(String content) {
        assertThat(FileType.sniff(content.getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
    }

    @Test
    void refusesInvalidUtf8AndEmptyContent() {
        assertThat(FileType.sniff(new byte[] {'o', 'k', (byte) 0xc3})).isEmpty();
        assertThat(FileType.sniff(new byte[0])).isEmpty();
    }

    @Test
    void servesTextAsUtf8PlainTextAndOnlyImagesInline() {
        assertThat(FileType.TEXT.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(FileType.PNG.image()).isTrue();
        assertThat(FileType.PDF.image()).isFalse();
        assertThat(FileType.TEXT.image()).isFalse();
    }
}

package dev.callchat.core.local;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of file members may share, recognised by their content (magic bytes), never by the
 * name or the type the browser claims: a renamed executable stays refused, and what we serve is
 * labelled with what it really is.
 */
enum FileType {
    PNG("image/png", true),
    JPEG("image/jpeg", true),
    GIF("image/gif", true),
    WEBP("image/webp", true),
    PDF("application/pdf", false),
    TEXT("text/plain; charset=utf-8", false);

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    private final String contentType;
    private final boolean image;

    FileType(String contentType, boolean image) {
        this.contentType = contentType;
        this.image = image;
    }

    /** @return the {@code Content-Type} to serve it with */
    String contentType() {
        return contentType;
    }

    /** @return whether browsers may show it inline (a thumbnail) */
    boolean image() {
        return image;
    }

    /** @return the type the content really has, or empty when it is none we accept */
    static Optional<FileType> sniff(byte[] content) {
        if (content.length == 0) {
            return Optional.empty();
        }
        if (startsWith(content, PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (startsWith(content, JPEG_MAGIC)) {
            return Optional.of(JPEG);
        }
        if (startsWith(content, "GIF87a".getBytes(StandardCharsets.US_ASCII))
                || startsWith(content, "GIF89a".getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(GIF);
        }
        if (content.length >= 12 && startsWith(content, "RIFF".getBytes(StandardCharsets.US_ASCII))
                && Arrays.equals(content, 8, 12, "WEBP".getBytes(StandardCharsets.US_ASCII), 0, 4)) {
            return Optional.of(WEBP);
        }
        if (startsWith(content, PDF_MAGIC)) {
            return Optional.of(PDF);
        }
        return isPlainText(content) ? Optional.of(TEXT) : Optional.empty();
    }

    /**
     * Valid UTF-8 without NUL or other control characters than tab, line feed, form feed and carriage
     * return: this refuses binaries and, since an HTML page is text, relies on {@code nosniff} plus
     * the {@code text/plain} type and {@code attachment} disposition for what we serve.
     */
    private static boolean isPlainText(byte[] content) {
        int start = startsWith(content, UTF8_BOM) ? UTF8_BOM.length : 0;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, start, content.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return text.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\f' && c != '\r');
    }

    private static boolean startsWith(byte[] content, byte[] prefix) {
        return content.length >= prefix.length && Arrays.equals(content, 0, prefix.length, prefix, 0, prefix.length);
    }
}

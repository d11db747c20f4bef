package dev.callchat.core.spi;

/**
 * A file a member shared in a local room's chat, as announced in the room's {@code chat} frame and
 * served at {@code /local/files/{id}}.
 *
 * @param id          unguessable id (128 random bits, hex)
 * @param name        the uploader's file name, cleaned of control characters and path separators
 * @param contentType the type sniffed from the content, e.g. {@code image/png} or {@code text/plain; charset=utf-8}
 * @param size        length in bytes
 * @param image       whether it is an image a browser may show inline
 */
public record SharedFile(String id, String name, String contentType, long size, boolean image) {
}

package dev.callchat.core.spi;

import java.util.Objects;

/**
 * A shared file and its bytes, as {@link RoomHub#download} hands it to the HTTP layer.
 *
 * @param file    what it is
 * @param content its bytes (a copy: the caller may keep or change it)
 */
public record FileDownload(SharedFile file, byte[] content) {
    /**
     * Checks for null.
     *
     * @param file    what it is
     * @param content its bytes
     */
    public FileDownload {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(content, "content");
    }
}

package dev.callchat.core.spi;

/**
 * How much the local hub keeps of shared files, all in memory. A room that would exceed its cap
 * forgets its oldest files first (like its chat history); when the whole hub is at its cap, uploads
 * are refused until rooms empty.
 *
 * @param maxFileBytes largest single file ({@code CALLCHAT_MAX_UPLOAD})
 * @param maxRoomBytes total kept per room
 * @param maxHubBytes  total kept across all rooms
 */
public record UploadLimits(long maxFileBytes, long maxRoomBytes, long maxHubBytes) {
    /**
     * Checks that 0 &lt; file &le; room &le; hub.
     *
     * @param maxFileBytes largest single file
     * @param maxRoomBytes total kept per room
     * @param maxHubBytes  total kept across all rooms
     */
    public UploadLimits {
        if (maxFileBytes <= 0 || maxRoomBytes < maxFileBytes || maxHubBytes < maxRoomBytes) {
            throw new IllegalArgumentException("upload limits must satisfy 0 < file <= room <= hub (got "
                    + maxFileBytes + ", " + maxRoomBytes + ", " + maxHubBytes + ")");
        }
    }

    /**
     * @param maxFileBytes largest single file
     * @return room cap of 5 files that size, hub cap of 20
     */
    public static UploadLimits forMaxFile(long maxFileBytes) {
        return new UploadLimits(maxFileBytes, 5 * maxFileBytes, 20 * maxFileBytes);
    }
}

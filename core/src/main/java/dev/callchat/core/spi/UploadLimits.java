package dev.callchat.core.spi;

/**
 * How much the local hub keeps of shared files, all in memory. A room that would exceed its cap
 * forgets its oldest files first (like its chat history); a member (an identity, across all its
 * rooms) may keep at most its quota, so one client cannot fill the hub from several rooms; when the
 * whole hub is at its cap, uploads are refused until rooms empty.
 *
 * @param maxFileBytes   largest single file ({@code CALLCHAT_MAX_UPLOAD})
 * @param maxRoomBytes   total kept per room
 * @param maxHubBytes    total kept across all rooms
 * @param maxMemberBytes total kept of the files one identity shared, across all rooms
 *                       ({@code CALLCHAT_MEMBER_UPLOAD_QUOTA})
 */
public record UploadLimits(long maxFileBytes, long maxRoomBytes, long maxHubBytes, long maxMemberBytes) {
    /** Default member quota and room cap, in files of the largest size. */
    public static final int DEFAULT_ROOM_FILES = 5;
    /** Default hub cap, in files of the largest size. */
    public static final int DEFAULT_HUB_FILES = 20;

    /**
     * Checks that 0 &lt; file &le; room &le; hub and file &le; member &le; hub.
     *
     * @param maxFileBytes   largest single file
     * @param maxRoomBytes   total kept per room
     * @param maxHubBytes    total kept across all rooms
     * @param maxMemberBytes total kept of one identity's files across all rooms
     */
    public UploadLimits {
        if (maxFileBytes <= 0 || maxRoomBytes < maxFileBytes || maxHubBytes < maxRoomBytes
                || maxMemberBytes < maxFileBytes || maxMemberBytes > maxHubBytes) {
            throw new IllegalArgumentException("upload limits must satisfy 0 < file <= room <= hub and file <= member <= hub"
                    + " (got " + maxFileBytes + ", " + maxRoomBytes + ", " + maxHubBytes + ", " + maxMemberBytes + ")");
        }
    }

    /**
     * Limits whose member quota equals the room cap.
     *
     * @param maxFileBytes largest single file
     * @param maxRoomBytes total kept per room, and per member
     * @param maxHubBytes  total kept across all rooms
     */
    public UploadLimits(long maxFileBytes, long maxRoomBytes, long maxHubBytes) {
        this(maxFileBytes, maxRoomBytes, maxHubBytes, maxRoomBytes);
    }

    /**
     * @param maxFileBytes largest single file
     * @return room cap and member quota of {@value #DEFAULT_ROOM_FILES} files that size, hub cap of
     *         {@value #DEFAULT_HUB_FILES}
     */
    public static UploadLimits forMaxFile(long maxFileBytes) {
        return new UploadLimits(maxFileBytes, DEFAULT_ROOM_FILES * maxFileBytes, DEFAULT_HUB_FILES * maxFileBytes);
    }

    /**
     * @param maxFileBytes   largest single file
     * @param maxMemberBytes what one identity may keep across all rooms
     * @return room cap of {@value #DEFAULT_ROOM_FILES} files of the largest size, hub cap of {@value #DEFAULT_HUB_FILES}
     */
    public static UploadLimits forMaxFile(long maxFileBytes, long maxMemberBytes) {
        return new UploadLimits(maxFileBytes, DEFAULT_ROOM_FILES * maxFileBytes, DEFAULT_HUB_FILES * maxFileBytes,
                maxMemberBytes);
    }
}

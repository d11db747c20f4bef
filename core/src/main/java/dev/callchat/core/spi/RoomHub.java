package dev.callchat.core.spi;

/**
 * The local provider's in-process room hub, as the HTTP layer and the adapters' WebSocket endpoints
 * see it: sockets are bridged to {@link #connect}, shared files go through {@link #upload} and
 * {@link #download}. Providers that need no socket of ours (Twilio) have none.
 * The wire protocol behind it is described in {@code docs/local-protocol.md}.
 */
public interface RoomHub extends AutoCloseable {
    /**
     * Called when a WebSocket opens; the client must then authenticate within the hub's deadline.
     *
     * @param peer the adapter's handle on the socket
     * @return the connection that receives the client's frames
     */
    HubConnection connect(HubPeer peer);

    /** @return how much of shared files this hub keeps */
    UploadLimits uploadLimits();

    /**
     * Checks, before a body is read, that the token may upload at all, so unauthenticated requests
     * never cost reading megabytes. {@link #upload} checks everything again.
     *
     * @param token the member's token, as sent in {@code Authorization: Bearer}
     * @throws dev.callchat.core.CallChatException 401 or 403 when it may not
     */
    void authorizeUpload(String token);

    /**
     * Shares a file in the chat of the room the token grants; all or nothing.
     *
     * @param token    the member's token
     * @param fileName the name the uploader gave (cleaned by the hub)
     * @param content  the bytes; the type is sniffed from them
     * @return the shared file
     * @throws dev.callchat.core.CallChatException 400, 401, 403, 413, 415, 429 or 503, as documented in the
     *         HTTP contract
     */
    SharedFile upload(String token, String fileName, byte[] content);

    /**
     * Hands out a shared file to a member of its room.
     *
     * @param token the member's token
     * @param id    the file's id
     * @return the file and a copy of its bytes
     * @throws dev.callchat.core.CallChatException 401, 403 or 404
     */
    FileDownload download(String token, String id);

    /** Closes every connection with 1001 "server shutting down". Idempotent. */
    @Override
    void close();
}

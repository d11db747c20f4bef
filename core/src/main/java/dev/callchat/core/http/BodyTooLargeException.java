package dev.callchat.core.http;

/**
 * Thrown by {@link HttpCall#body()} when a request body exceeds {@link CallChatHttp#MAX_BODY_BYTES};
 * {@link CallChatHttp} answers it with 413. A checked exception so no adapter forgets the limit.
 */
public final class BodyTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; no stack trace, since it is an expected outcome, not a bug. */
    public BodyTooLargeException() {
        super("request body exceeds " + CallChatHttp.MAX_BODY_BYTES + " bytes", null, false, false);
    }
}

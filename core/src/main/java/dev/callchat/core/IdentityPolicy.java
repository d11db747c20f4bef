package dev.callchat.core;

/**
 * Normalizes and validates the two names a login carries: the identity and the room.
 * The {@link #standard() standard policy} trims, NFC-normalizes, bounds the length in code
 * points and rejects control, bidirectional-override and unpaired-surrogate characters, with
 * one specific message per reason. It also rejects room names shaped like a Twilio SID (two letters
 * and 32 hex digits), which Twilio would resolve as the ID of another conversation or video room; a
 * replacement policy should keep that rule (docs/twilio-limits.md).
 */
public interface IdentityPolicy {
    /** Longest identity the standard policy accepts, in code points. */
    int MAX_IDENTITY_LENGTH = 64;
    /** Longest room name the standard policy accepts, in code points: the configured default room's bound. */
    int MAX_ROOM_LENGTH = dev.callchat.core.config.Config.MAX_ROOM_LENGTH;

    /**
     * @param raw the identity as typed or as returned by an {@link Authenticator}; may be null
     * @return the normalized identity
     * @throws CallChatException {@link ErrorKind#UNAUTHORIZED} when missing or blank,
     *                           {@link ErrorKind#BAD_REQUEST} when invalid
     */
    String identity(String raw);

    /**
     * @param raw the room name as requested (never null: the service substitutes the default)
     * @return the normalized room name
     * @throws CallChatException {@link ErrorKind#BAD_REQUEST} when blank or invalid
     */
    String room(String raw);

    /** @return the standard policy described above */
    static IdentityPolicy standard() {
        return StandardIdentityPolicy.INSTANCE;
    }
}

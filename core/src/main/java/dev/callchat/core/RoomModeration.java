package dev.callchat.core;

import dev.callchat.core.spi.TokenIssuer;

import java.time.Instant;
import java.util.Objects;

/**
 * What a room's host can do, authorized from the host's own access token: the caller acts on the room
 * its token grants, and only when it hosts that room now (or the application's {@link Authenticator}
 * made it a host). Obtain it from {@link CallSessionService#moderation()}; thread-safe.
 * Who hosts, and how the role passes on, is described in {@code docs/embedding.md#hosts-and-moderation}.
 *
 * <p>Every method refuses with a {@link CallChatException} and changes nothing: 401 for a missing,
 * invalid or expired token; 403 when the caller does not host the room; 400 for a bad identity or
 * time, or an action on oneself; 404 when the target is not a member of the room.
 */
public final class RoomModeration {
    private final RoomRegistry rooms;
    private final TokenIssuer tokens;
    private final IdentityPolicy identities;

    RoomModeration(RoomRegistry rooms, TokenIssuer tokens, IdentityPolicy identities) {
        this.rooms = rooms;
        this.tokens = tokens;
        this.identities = identities;
    }

    /**
     * Disconnects a member from the call and the chat. They may log in again unless banned; their
     * tokens from before no longer connect (local provider) or are removed again on sight (Twilio).
     *
     * @param hostToken the caller's access token
     * @param identity  the member to remove
     */
    public void remove(String hostToken, String identity) {
        TokenIssuer.VerifiedToken caller = verify(hostToken);
        rooms.remove(caller.room(), caller.identity(), target(identity));
    }

    /**
     * Removes a member (if present) and refuses the identity's logins and connections until a time,
     * extended to the expiry of the newest token they hold, since a token cannot be revoked.
     *
     * @param hostToken the caller's access token
     * @param identity  the identity to ban
     * @param until     when the ban ends; in the future, at most 30 days ahead
     * @return when the ban really ends
     */
    public Instant ban(String hostToken, String identity, Instant until) {
        TokenIssuer.VerifiedToken caller = verify(hostToken);
        return rooms.ban(caller.room(), caller.identity(), target(identity), Objects.requireNonNull(until, "until"));
    }

    /**
     * Locks the room: members stay and may log in again, nobody new joins (423) until it is unlocked or empties.
     *
     * @param hostToken the caller's access token
     */
    public void lock(String hostToken) {
        TokenIssuer.VerifiedToken caller = verify(hostToken);
        rooms.lock(caller.room(), caller.identity(), true);
    }

    /**
     * Unlocks the room.
     *
     * @param hostToken the caller's access token
     */
    public void unlock(String hostToken) {
        TokenIssuer.VerifiedToken caller = verify(hostToken);
        rooms.lock(caller.room(), caller.identity(), false);
    }

    /**
     * Ends the room for everyone: every member is disconnected, and tokens from before no longer connect.
     * A later login starts the room afresh (bans stay).
     *
     * @param hostToken the caller's access token
     */
    public void end(String hostToken) {
        TokenIssuer.VerifiedToken caller = verify(hostToken);
        rooms.end(caller.room(), caller.identity());
    }

    /**
     * Hands the host role to another member who is in the room now.
     *
     * @param hostToken the caller's access token
     * @param identity  the new host
     */
    public void handOver(String hostToken, String identity) {
        TokenIssuer.VerifiedToken caller = verify(hostToken);
        rooms.handOver(caller.room(), caller.identity(), target(identity));
    }

    private TokenIssuer.VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new CallChatException(ErrorKind.UNAUTHORIZED, "Send your token as 'Authorization: Bearer <token>'");
        }
        return tokens.verified(token).orElseThrow(() -> new CallChatException(ErrorKind.UNAUTHORIZED,
                "The token is invalid or expired; log in again"));
    }

    private String target(String identity) {
        if (identity == null || identity.isBlank()) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "Name the member: \"identity\" is missing");
        }
        try {
            return identities.identity(identity);
        } catch (CallChatException e) {
            // The policy says 401 for a missing name at login; here it is a bad request.
            throw new CallChatException(ErrorKind.BAD_REQUEST, "identity: " + e.detail());
        }
    }
}

package dev.callchat.core.local;

/**
 * What a verified local token allows.
 *
 * @param identity the member's identity
 * @param room     the video room, which is also the hub room
 * @param chat     whether the token carries a chat grant
 */
record Grant(String identity, String room, boolean chat) {
}

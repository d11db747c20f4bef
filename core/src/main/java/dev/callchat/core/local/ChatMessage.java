package dev.callchat.core.local;

import dev.callchat.core.spi.SharedFile;

import java.time.Instant;

/**
 * One chat message in a room's history.
 *
 * @param id     server-assigned, increasing by one per message within a room, starting at 1
 * @param author the sender's identity
 * @param text   the text as sent
 * @param at     when the hub received it
 * @param file   the shared file this message announces, or {@code null} for plain text
 */
record ChatMessage(long id, String author, String text, Instant at, SharedFile file) {
}

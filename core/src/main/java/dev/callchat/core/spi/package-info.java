/**
 * The provider SPI: what a backend implements so that {@code CallSessionService} can find or create a
 * room's chatroom, enroll identities and sign tokens. Applications use {@code dev.callchat.core}; only
 * provider authors need this package. See {@code docs/architecture.md}.
 */
@NullMarked
package dev.callchat.core.spi;

import org.jspecify.annotations.NullMarked;


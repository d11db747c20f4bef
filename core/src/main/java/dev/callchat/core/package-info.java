/**
 * callchat's API: build a {@link dev.callchat.core.CallSessionService} from a
 * {@link dev.callchat.core.config.Config} and call {@code login}. Plug an
 * {@link dev.callchat.core.Authenticator} to take identities from your own sign-in. Provider authors
 * implement {@code dev.callchat.core.spi}; everything else in core is implementation. Nothing here is
 * null unless annotated {@code @Nullable}. See {@code docs/architecture.md}.
 */
@NullMarked
package dev.callchat.core;

import org.jspecify.annotations.NullMarked;


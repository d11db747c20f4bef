package dev.callchat.core.local;

import java.util.Optional;

/** Checks a token presented on the hub's socket. */
@FunctionalInterface
interface TokenVerifier {
    /**
     * @param token the compact JWT the client sent
     * @return its grant, or empty when the signature, shape or expiry is wrong
     */
    Optional<Grant> verify(String token);
}

package dev.callchat.core;

/**
 * Decides who is logging in. The default uses the typed username; integrators plug in their own
 * to take the identity from their session or an auth header instead. Whatever it returns is still
 * normalized and validated by the {@link IdentityPolicy}.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param request the login
     * @return the raw identity
     * @throws CallChatException {@link ErrorKind#UNAUTHORIZED} to refuse the login
     */
    String authenticate(LoginRequest request);

    /** @return the default: the identity is the typed username */
    static Authenticator typedUsername() {
        return LoginRequest::username;
    }
}

package dev.callchat.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * Decides who is logging in. The default uses the typed username; integrators plug in their own
 * to take the identity from their session or an auth header instead. Whatever it returns is still
 * normalized and validated by the {@link IdentityPolicy}.
 *
 * <p>To decide roles too, build one with {@link #withRoles}: a user returned as
 * {@link AuthenticatedUser#host} may moderate every room they join.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param request the login
     * @return the raw identity
     * @throws CallChatException {@link ErrorKind#UNAUTHORIZED} to refuse the login
     */
    String authenticate(LoginRequest request);

    /**
     * The identity and, when the application decides it, the role. The default leaves the role to
     * callchat's room rule.
     *
     * @param request the login
     * @return who is logging in
     * @throws CallChatException {@link ErrorKind#UNAUTHORIZED} to refuse the login
     */
    default AuthenticatedUser identify(LoginRequest request) {
        return AuthenticatedUser.of(authenticate(request));
    }

    /** @return the default: the identity is the typed username */
    static Authenticator typedUsername() {
        return LoginRequest::username;
    }

    /**
     * An authenticator that decides roles as well as identities.
     *
     * <pre>{@code
     * Authenticator.withRoles(request -> session(request).isTeacher()
     *         ? AuthenticatedUser.host(session(request).name())
     *         : AuthenticatedUser.participant(session(request).name()));
     * }</pre>
     *
     * @param identify returns the user, or throws {@link CallChatException} ({@link ErrorKind#UNAUTHORIZED})
     * @return the authenticator
     */
    static Authenticator withRoles(Function<LoginRequest, AuthenticatedUser> identify) {
        Objects.requireNonNull(identify, "identify");
        return new Authenticator() {
            @Override
            public String authenticate(LoginRequest request) {
                return identify(request).identity();
            }

            @Override
            public AuthenticatedUser identify(LoginRequest request) {
                return Objects.requireNonNull(identify.apply(request), "the authenticator returned no user");
            }
        };
    }
}

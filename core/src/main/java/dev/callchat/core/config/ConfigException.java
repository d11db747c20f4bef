package dev.callchat.core.config;

/**
 * Invalid configuration. The message is one line that names the variable and says why, fit to
 * be printed as-is before the process exits; it never contains a secret value.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param variable the offending variable
     * @param reason   why it is wrong (must not quote a secret)
     */
    public ConfigException(String variable, String reason) {
        super(variable + ": " + reason);
    }
}

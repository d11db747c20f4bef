package dev.callchat.testing.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Finds secrets in text: given literal secrets, and anything shaped like a complete JWT. */
public final class SecretScan {
    /** Header, payload and signature of a JWT; a JSON header always starts {@code eyJ} in base64url. */
    public static final Pattern JWT = Pattern.compile("eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+");

    private final List<String> secrets;

    /** @param secrets literal values that must never appear */
    public SecretScan(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /**
     * @param text a log line, message or stack trace
     * @return what it leaks, described without repeating the secret ("JWT", "secret #1"), empty if nothing
     */
    public List<String> leaks(String text) {
        List<String> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        if (JWT.matcher(text).find()) {
            found.add("JWT");
        }
        for (int i = 0; i < secrets.size(); i++) {
            if (text.contains(secrets.get(i))) {
                found.add("secret #" + i);
            }
        }
        return found;
    }
}

package dev.callchat.core.config;


import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The STUN/TURN servers that the local provider's browsers use for their peer-to-peer calls
 * ({@code CALLCHAT_ICE_SERVERS}), and the shared secret of the TURN server ({@code CALLCHAT_TURN_SECRET})
 * from which every session gets its own TURN credentials.
 *
 * <p>The credentials follow the "TURN REST API" scheme that coturn implements with {@code use-auth-secret}
 * / {@code static-auth-secret} (draft-uberti-behave-turn-rest): username {@code <expiry>:<identity>} with
 * {@code expiry} in Unix seconds, password {@code base64(HMAC-SHA1(secret, username))}. The TURN server
 * recomputes the password from the username, so nothing is stored, and a leaked password stops working at
 * the expiry, which is the access token's. See docs/local-protocol.md ("ICE servers").
 *
 * <p>Immutable; {@link #toString()} never prints the secret.
 */
public final class IceServers {
    /** The most URLs {@code CALLCHAT_ICE_SERVERS} may list; every one costs the browser a gathering round. */
    public static final int MAX_URLS = 16;
    /** The shortest accepted TURN secret, in bytes: anyone who guesses it can relay through the server. */
    public static final int MIN_SECRET_BYTES = 16;

    private static final String URLS = "CALLCHAT_ICE_SERVERS";
    private static final String SECRET = "CALLCHAT_TURN_SECRET";
    /** RFC 7064 (stun/stuns) and RFC 7065 (turn/turns): host or [IPv6], optional port, transport for TURN. */
    private static final Pattern URL = Pattern.compile(
            "(stuns?|turns?):(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?)(:(\\d{1,5}))?(\\?transport=(udp|tcp))?");
    private static final IceServers NONE = new IceServers(List.of(), List.of(), null);

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final byte[] secret;

    private IceServers(List<String> stunUrls, List<String> turnUrls, byte[] secret) {
        this.stunUrls = List.copyOf(stunUrls);
        this.turnUrls = List.copyOf(turnUrls);
        this.secret = secret;
    }

    /** @return no ICE servers: host candidates only, which is enough on one machine or a LAN */
    public static IceServers none() {
        return NONE;
    }

    /**
     * Validates the two variables together.
     *
     * @param urls   {@code CALLCHAT_ICE_SERVERS}: URLs separated by commas or spaces; empty for none
     * @param secret {@code CALLCHAT_TURN_SECRET}: required exactly when a {@code turn:}/{@code turns:} URL is listed
     * @return the validated servers
     * @throws ConfigException naming the offending variable, never quoting the secret
     */
    public static IceServers of(Optional<String> urls, Optional<String> secret) {
        Objects.requireNonNull(urls, "urls");
        Objects.requireNonNull(secret, "secret");
        List<String> stun = new ArrayList<>();
        List<String> turn = new ArrayList<>();
        for (String url : urls.map(u -> u.strip().split("[,\\s]+")).orElse(new String[0])) {
            if (url.isEmpty()) {
                continue;
            }
            String normalized = url(url);
            (normalized.startsWith("turn") ? turn : stun).add(normalized);
        }
        if (stun.size() + turn.size() > MAX_URLS) {
            throw new ConfigException(URLS, "lists " + (stun.size() + turn.size()) + " URLs; at most " + MAX_URLS
                    + " are allowed (one STUN and one or two TURN URLs are usually enough)");
        }
        if (!turn.isEmpty() && secret.isEmpty()) {
            throw new ConfigException(SECRET, "is missing: " + URLS + " lists a TURN URL, and TURN needs credentials;"
                    + " set it to your TURN server's static-auth-secret (coturn: use-auth-secret)");
        }
        if (secret.isPresent() && turn.isEmpty()) {
            throw new ConfigException(SECRET, "is set but " + URLS + " lists no turn: or turns: URL to use it with");
        }
        byte[] key = secret.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (key != null && key.length < MIN_SECRET_BYTES) {
            throw new ConfigException(SECRET, "must be at least " + MIN_SECRET_BYTES
                    + " characters long (generate one with: openssl rand -hex 32)");
        }
        return stun.isEmpty() && turn.isEmpty() ? NONE : new IceServers(stun, turn, key);
    }

    /** @return the normalized URL (lowercase scheme and host), or a failure naming the variable */
    private static String url(String value) {
        Matcher m = URL.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            String shown = value.codePoints().limit(100).filter(cp -> !Character.isISOControl(cp))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            throw new ConfigException(URLS, "must be stun:, stuns:, turn: or turns: URLs separated by commas, such as"
                    + " stun:turn.example.org:3478,turn:turn.example.org:3478?transport=udp (got '" + shown + "')");
        }
        if (m.group(7) != null && m.group(1).startsWith("stun")) {
            throw new ConfigException(URLS, "a STUN URL takes no ?transport= (got '" + value + "')");
        }
        if (m.group(5) != null) {
            int port = Integer.parseInt(m.group(5));
            if (port < 1 || port > 65535) {
                throw new ConfigException(URLS, "port must be between 1 and 65535 (got '" + value + "')");
            }
        }
        return m.group();
    }

    /** @return whether any URL is configured */
    public boolean isEmpty() {
        return stunUrls.isEmpty() && turnUrls.isEmpty();
    }

    /** @return the {@code stun:}/{@code stuns:} URLs, in configured order */
    public List<String> stunUrls() {
        return stunUrls;
    }

    /** @return the {@code turn:}/{@code turns:} URLs, in configured order */
    public List<String> turnUrls() {
        return turnUrls;
    }

    /**
     * The ICE servers of one session: the STUN URLs as one entry, the TURN URLs as another with
     * credentials that expire with the session's token.
     *
     * @param identity  who the credentials are for (the TURN server logs it as part of the username)
     * @param expiresAt when the credentials stop working: the token's expiry
     * @return RTCIceServer-shaped entries; empty when nothing is configured
     */
    public List<IceServer> forSession(String identity, Instant expiresAt) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(expiresAt, "expiresAt");
        List<IceServer> servers = new ArrayList<>(2);
        if (!stunUrls.isEmpty()) {
            servers.add(new IceServer(stunUrls, null, null));
        }
        if (!turnUrls.isEmpty()) {
            String username = expiresAt.getEpochSecond() + ":" + identity;
            servers.add(new IceServer(turnUrls, username, credential(username)));
        }
        return List.copyOf(servers);
    }

    private String credential(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // HmacSHA1 is one of the algorithms every Java platform must provide.
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IceServers other && stunUrls.equals(other.stunUrls) && turnUrls.equals(other.turnUrls)
                && MessageDigest.isEqual(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stunUrls, turnUrls);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        List<String> all = new ArrayList<>(stunUrls);
        all.addAll(turnUrls);
        return all + (secret == null ? "" : " (TURN secret <redacted>)");
    }
}

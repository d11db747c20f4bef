package dev.callchat.core.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web client's files, read from the classpath under one root. Only plain names are served:
 * every segment starts with a letter, digit, {@code _} or {@code -} and contains no escapes, so
 * {@code ..}, {@code %2e%2e}, {@code %2f}, backslashes and NUL can never name a file outside the root.
 */
final class StaticAssets {
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){1,8}");
    private static final long MAX_CACHED_BYTES = 64L * 1024 * 1024;
    private static final String UTF8 = "; charset=utf-8";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html" + UTF8),
            Map.entry("js", "text/javascript" + UTF8),
            Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("css", "text/css" + UTF8),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain" + UTF8),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"));

    /** One file, ready to send. */
    record Asset(byte[] bytes, String etag, String contentType) {
        boolean html() {
            return contentType.startsWith("text/html");
        }
    }

    private final ClassLoader loader;
    private final String root;
    private final Cache<String, Asset> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_CACHED_BYTES)
            .weigher((String path, Asset asset) -> asset.bytes().length)
            .build();

    StaticAssets(ClassLoader loader, String root) {
        this.loader = loader;
        String trimmed = root.startsWith("/") ? root.substring(1) : root;
        this.root = trimmed.isEmpty() || trimmed.endsWith("/") ? trimmed : trimmed + "/";
    }

    /**
     * @param rawPath the request path, still percent-encoded
     * @return the asset, or empty when the path is not a plain name of a file under the root
     */
    Optional<Asset> find(String rawPath) {
        String path = rawPath.equals("/") ? "/index.html" : rawPath;
        if (!SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(extension(path));
        if (type == null) {
            return Optional.empty();
        }
        // A miss is not cached (computing function returns null), so probing names costs no memory.
        return Optional.ofNullable(cache.get(path, p -> load(root + p.substring(1), type)));
    }

    private Asset load(String resource, String type) {
        URL url = loader.getResource(resource);
        if (url == null) {
            return null;
        }
        try {
            URLConnection connection = url.openConnection();
            if (!isRegularFile(url, connection)) {
                return null;
            }
            connection.setUseCaches(false);
            byte[] bytes;
            try (InputStream in = connection.getInputStream()) {
                bytes = in.readAllBytes();
            }
            return new Asset(bytes, etag(bytes), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web asset " + resource, e);
        }
    }

    /** A directory named like a file (say {@code foo.js/}) must not be served as a listing. */
    private static boolean isRegularFile(URL url, URLConnection connection) throws IOException {
        if (connection instanceof JarURLConnection jar) {
            return jar.getJarEntry() != null && !jar.getJarEntry().isDirectory();
        }
        if (url.getProtocol().equals("file")) {
            try {
                return Files.isRegularFile(Path.of(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @return whether an {@code If-None-Match} header matches the asset's ETag (weak comparison, RFC 9110 13.1.2) */
    static boolean notModified(Optional<String> ifNoneMatch, String etag) {
        if (ifNoneMatch.isEmpty()) {
            return false;
        }
        for (String candidate : ifNoneMatch.get().split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}

package dev.callchat.core.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.spi.FileDownload;
import dev.callchat.core.spi.RoomHub;
import dev.callchat.core.spi.SharedFile;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Files shared in a local room's chat: {@code POST /local/files} stores the raw request body (the
 * name travels percent-encoded in {@code X-File-Name}) and announces it in the room;
 * {@code GET /local/files/{id}} serves it to members of that room. Both authenticate with the
 * local token ({@code Authorization: Bearer}); the hub decides membership, caps and types.
 */
final class LocalFilesEndpoint {
    static final String PATH = CallChatHttp.LOCAL_FILES_PATH;
    static final String FILE_NAME_HEADER = "X-File-Name";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    /** Served files may not run anything, even if a browser ignored their type. */
    private static final String FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

    private final RoomHub hub;
    private final ObjectMapper mapper;
    private final Replies replies;

    LocalFilesEndpoint(RoomHub hub, ObjectMapper mapper, Replies replies) {
        this.hub = hub;
        this.mapper = mapper;
        this.replies = replies;
    }

    /** The checks {@link #upload} makes before it reads the body: a member's valid bearer token. */
    void authorize(HttpCall call) {
        hub.authorizeUpload(bearer(call));
    }

    /** {@code POST /local/files}: authenticate, then read at most the upload limit, then store. */
    HttpReply upload(HttpCall call) {
        authorize(call);
        String token = bearer(call);
        int limit = (int) Math.min(Integer.MAX_VALUE - 1, hub.uploadLimits().maxFileBytes());
        byte[] body;
        try {
            body = call.body(limit);
        } catch (BodyTooLargeException e) {
            throw new CallChatException(ErrorKind.PAYLOAD_TOO_LARGE, "A shared file may be at most " + limit + " bytes");
        } catch (UncheckedIOException e) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "The file could not be read completely");
        }
        SharedFile file = hub.upload(token, fileName(call.header(FILE_NAME_HEADER)), body);
        ObjectNode out = mapper.createObjectNode()
                .put("id", file.id())
                .put("name", file.name())
                .put("type", file.contentType())
                .put("size", file.size())
                .put("image", file.image());
        return replies.json(201, out);
    }

    /** {@code GET /local/files/{id}}. */
    HttpReply download(HttpCall call, String id) {
        String token = bearer(call);
        if (!ID.matcher(id).matches()) {
            throw new CallChatException(ErrorKind.NOT_FOUND, "No such file: it was never shared or is no longer kept");
        }
        FileDownload download = hub.download(token, id);
        SharedFile file = download.file();
        Map<String, String> headers = Replies.baseHeaders();
        headers.put("Content-Type", file.contentType());
        headers.put("Content-Disposition", disposition(file.image() ? "inline" : "attachment", file.name()));
        // Behind a token, so no shared cache may keep it; the browser fetches it once and holds a blob.
        headers.put("Cache-Control", "private, no-store");
        headers.put("Content-Security-Policy", FILE_CSP);
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        return new HttpReply(200, headers, download.content());
    }

    static String bearer(HttpCall call) {
        Optional<String> header = call.header("Authorization");
        if (header.isPresent()) {
            String[] parts = header.get().strip().split("\\s+", 2);
            if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") && !parts[1].isBlank()) {
                return parts[1].strip();
            }
        }
        throw new CallChatException(ErrorKind.UNAUTHORIZED,
                "Send your local token as 'Authorization: Bearer <token>' (the token from /login)");
    }

    /** The header holds the name percent-encoded as UTF-8 (JavaScript's {@code encodeURIComponent}). */
    static String fileName(Optional<String> header) {
        if (header.isEmpty()) {
            return "file";
        }
        String value = header.get();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw badName();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '%' || c > 0x7e || c < 0x20) {
                throw badName();
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw badName();
        }
    }

    private static CallChatException badName() {
        return new CallChatException(ErrorKind.BAD_REQUEST,
                FILE_NAME_HEADER + " must be the file name percent-encoded as UTF-8 (encodeURIComponent)");
    }

    /** RFC 6266: an ASCII fallback for old clients and the exact name in {@code filename*}. */
    static String disposition(String type, String name) {
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? (char) c : '_'));
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || "!#$&+-.^_`|~".indexOf(u) >= 0) {
                encoded.append((char) u);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", u));
            }
        }
        return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}

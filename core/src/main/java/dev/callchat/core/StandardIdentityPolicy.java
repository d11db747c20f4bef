package dev.callchat.core;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** The rules of {@link IdentityPolicy#standard()}. Stateless. */
final class StandardIdentityPolicy implements IdentityPolicy {
    static final StandardIdentityPolicy INSTANCE = new StandardIdentityPolicy();
    /**
     * Two letters and 32 hex digits: the shape of every Twilio SID. Twilio reads such a value in a
     * path or a grant as the ID of a resource ({@code GET /v1/Conversations/{Sid}} takes "the SID [...]
     * Can also be the unique_name"), so a room named like one could reach another conversation or room.
     */
    private static final Pattern SID_SHAPED = Pattern.compile("[A-Za-z]{2}[0-9a-fA-F]{32}");

    private StandardIdentityPolicy() {
    }

    @Override
    public String identity(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new CallChatException(ErrorKind.UNAUTHORIZED, "username is required");
        }
        return check("username", raw, MAX_IDENTITY_LENGTH);
    }

    @Override
    public String room(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new CallChatException(ErrorKind.BAD_REQUEST, "room must not be blank");
        }
        String room = check("room", raw, MAX_ROOM_LENGTH);
        if (SID_SHAPED.matcher(room).matches()) {
            throw invalid("room must not look like a Twilio SID (two letters and 32 hexadecimal digits): Twilio would"
                    + " read it as the ID of another conversation or room");
        }
        return room;
    }

    private static String check(String field, String raw, int maxLength) {
        // Reject unpaired surrogates before normalizing: Normalizer would pass them through and
        // they cannot be encoded as UTF-8 in a token.
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid(field + " contains an invalid (unpaired surrogate) character");
            }
        }
        String normalized = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        int position = 0;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            position++;
            if (Character.getType(cp) == Character.CONTROL) {
                throw invalid(field + " contains a control character (U+" + hex(cp) + ") at position " + position);
            }
            if (isBidiControl(cp)) {
                throw invalid(field + " contains a bidirectional control character (U+" + hex(cp) + ") at position "
                        + position);
            }
            if (cp == '\u2028' || cp == '\u2029') {
                throw invalid(field + " contains a line separator (U+" + hex(cp) + ") at position " + position);
            }
            i += Character.charCount(cp);
        }
        // Names that look alike must be equal: invisible characters go, blanks become one plain space.
        String value = VisibleText.clean(normalized);
        if (!VisibleText.hasVisible(value)) {
            throw invalid(field + " must contain a visible character (a letter, digit, punctuation mark or symbol)");
        }
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            throw invalid(field + " must be at most " + maxLength + " characters (got " + length + ")");
        }
        int previous = ' ';
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (previous == ' ' && VisibleText.isCombiningMark(cp)) {
                // It would sit on whatever the page shows before the name (a colon, a space) or on nothing.
                throw invalid(field + " has a combining mark (U+" + hex(cp) + ") with no letter before it");
            }
            previous = cp;
            i += Character.charCount(cp);
        }
        return value;
    }

    /** Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): the "Trojan Source" set. */
    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }

    private static String hex(int cp) {
        return String.format("%04X", cp);
    }

    private static CallChatException invalid(String detail) {
        return new CallChatException(ErrorKind.BAD_REQUEST, detail);
    }
}

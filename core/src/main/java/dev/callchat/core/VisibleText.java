package dev.callchat.core;

import java.text.Normalizer;

/**
 * The one rule callchat applies to text that people recognise each other by: usernames, room names and
 * shared file names are {@linkplain #clean cleaned} with it, and chat text must {@linkplain #hasVisible
 * show something}. Two names that look the same end up as the same string, and a name that shows
 * nothing is refused, so nobody can sit in a room as "ana" beside the real ana.
 *
 * <p>Per character (README, "Names"):
 * <ul>
 *   <li><b>removed</b>: format characters (general category Cf: soft hyphen, zero-width space and
 *       non-joiner, LRM/RLM/ALM, word joiner, invisible operators, BOM, tags…) and every other
 *       default-ignorable code point (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the combining
 *       grapheme joiner, Mongolian and other variation selectors…), except a zero-width joiner between
 *       two emoji and a variation selector right after an emoji, which change what is shown (👩‍💻, ❤️);</li>
 *   <li><b>made a plain space</b>: every space separator (no-break, en/em, thin, ideographic…), line and
 *       paragraph separators, and U+2800 BRAILLE PATTERN BLANK; then spaces are trimmed and runs of them
 *       become one;</li>
 *   <li>then the result is put in Unicode normalization form C.</li>
 * </ul>
 * Control characters, bidirectional embeddings and isolates and unpaired surrogates are left for the
 * caller to refuse or drop. Stateless.
 */
public final class VisibleText {
    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int BRAILLE_BLANK = 0x2800;

    private VisibleText() {
    }

    /**
     * @param text any text (not null)
     * @return the text without invisible characters, with blanks as single plain spaces, trimmed, in NFC
     */
    public static String clean(String text) {
        int[] cps = text.codePoints().toArray();
        StringBuilder out = new StringBuilder(text.length());
        int previous = -1; // the last code point kept
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (isBlank(cp)) {
                if (out.length() > 0 && previous != ' ') {
                    out.append(' ');
                    previous = ' ';
                }
            } else if (!isInvisible(cp)) {
                out.appendCodePoint(cp);
                previous = cp;
            } else if (keepsEmojiTogether(cp, previous, i + 1 < cps.length ? cps[i + 1] : -1)) {
                out.appendCodePoint(cp);
                previous = cp;
            }
        }
        return Normalizer.normalize(out.toString().strip(), Normalizer.Form.NFC);
    }

    /**
     * @param text any text (not null)
     * @return whether the text holds at least one character that shows: a letter, digit, punctuation mark
     *         or symbol, not a blank, an invisible character or a combining mark on its own
     */
    public static boolean hasVisible(String text) {
        return text.codePoints().anyMatch(VisibleText::isVisible);
    }

    /**
     * @param cp a code point
     * @return whether it is a combining mark, which shows only on the character before it
     */
    public static boolean isCombiningMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isVisible(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.SURROGATE && !isBlank(cp) && !isInvisible(cp)
                && !isCombiningMark(cp);
    }

    /** Space separators (Zs), line and paragraph separators, and the braille blank that fonts draw as a space. */
    private static boolean isBlank(int cp) {
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || cp == BRAILLE_BLANK;
    }

    /** Format characters (Cf) and the Unicode Default_Ignorable_Code_Point set (DerivedCoreProperties.txt). */
    private static boolean isInvisible(int cp) {
        return Character.getType(cp) == Character.FORMAT
                || cp == 0x00AD || cp == 0x034F || cp == 0x061C
                || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x180B && cp <= 0x180F)
                || (cp >= 0x200B && cp <= 0x200F)
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2060 && cp <= 0x206F)
                || cp == 0x3164
                || isVariationSelector(cp)
                || cp == 0xFEFF || cp == 0xFFA0
                || (cp >= 0xFFF0 && cp <= 0xFFF8)
                || (cp >= 0x1BCA0 && cp <= 0x1BCA3)
                || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }

    private static boolean isVariationSelector(int cp) {
        return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    /** A joiner between two emoji (👩‍💻), or a variation selector right after one (❤️): both change what is shown. */
    private static boolean keepsEmojiTogether(int cp, int previous, int next) {
        if (cp == ZERO_WIDTH_JOINER) {
            return (isEmoji(previous) || isVariationSelector(previous)) && isEmoji(next);
        }
        return isVariationSelector(cp) && isEmoji(previous);
    }

    /** Emoji are symbols (So) from U+2000 on; skin-tone modifiers (U+1F3FB–U+1F3FF) end many of them. */
    private static boolean isEmoji(int cp) {
        return (cp >= 0x2000 && Character.getType(cp) == Character.OTHER_SYMBOL) || (cp >= 0x1F3FB && cp <= 0x1F3FF);
    }
}

package dev.callchat.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StandardIdentityPolicyTest {
    private final IdentityPolicy policy = IdentityPolicy.standard();

    private CallChatException identityError(String raw) {
        return catchThrowableOfType(CallChatException.class, () -> policy.identity(raw));
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        assertThat(policy.identity("  ana \t")).isEqualTo("ana");
    }

    @Test
    void identitiesAreNfcNormalized() {
        assertThat(policy.identity("e\u0301")).isEqualTo("\u00e9");
        assertThat(policy.identity("Jose\u0301")).isEqualTo(policy.identity("Jos\u00e9"));
    }

    @Test
    void sixtyFourCodePointsAreAccepted() {
        String name = "🎉".repeat(64); // 128 UTF-16 chars, 64 code points
        assertThat(policy.identity(name)).isEqualTo(name);
    }

    @Test
    void sixtyFiveCodePointsAreRejected() {
        CallChatException e = identityError("a".repeat(65));

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.detail()).isEqualTo("username must be at most 64 characters (got 65)");
    }

    @Test
    void lengthIsCountedAfterNormalization() {
        // 64 × "e + combining acute" is 128 code points raw but 64 after NFC.
        assertThat(policy.identity("e\u0301".repeat(64))).hasSize(64);
    }

    @Test
    void emojiAndOtherScriptsAreAccepted() {
        assertThat(policy.identity("Zoë 👩🏽‍💻 日本")).isEqualTo("Zoë 👩🏽‍💻 日本");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ana\u0000", "an\na", "a\tb", "\u007fx", "x\u0085y"})
    void controlCharactersAreRejected(String raw) {
        CallChatException e = identityError(raw);

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.detail()).contains("control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin\u202Etxt.exe", "a\u2066b", "a\u202Ab", "a\u2069"})
    void bidiOverridesAndIsolatesAreRejected(String raw) {
        CallChatException e = identityError(raw);

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.detail()).contains("bidirectional control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\uD800", "\uDC00b", "x\uDBFFy"})
    void unpairedSurrogatesAreRejected(String raw) {
        CallChatException e = identityError(raw);

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.detail()).contains("unpaired surrogate");
    }

    @Test
    void lineSeparatorsAreRejected() {
        assertThat(identityError("a\u2028b").detail()).contains("line separator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "\u3000"})
    void blankIsUnauthorized(String raw) {
        assertThat(identityError(raw).kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
    }

    @Test
    void missingIsUnauthorized() {
        assertThat(identityError(null).kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
    }

    @Test
    void theErrorNamesThePositionOfTheBadCharacter() {
        assertThat(identityError("ab\u0007").detail()).isEqualTo("username contains a control character (U+0007) at position 3");
    }

    @Test
    void roomsFollowTheSameRulesUpTo128CodePoints() {
        assertThat(policy.room("  My Room ")).isEqualTo("My Room");
        assertThat(policy.room("r".repeat(128))).hasSize(128);
        CallChatException tooLong = catchThrowableOfType(CallChatException.class, () -> policy.room("r".repeat(129)));
        assertThat(tooLong.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(tooLong.detail()).startsWith("room must be at most 128");
    }

    @Test
    void aBlankRoomIsABadRequest() {
        CallChatException e = catchThrowableOfType(CallChatException.class, () -> policy.room("  "));

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    }
    @Test
    void roomsShapedLikeATwilioSidAreABadRequest() {
        for (String sid : new String[]{"CH" + "0a".repeat(16), "ch" + "0A".repeat(16), " RM" + "f".repeat(32) + " "}) {
            CallChatException e = catchThrowableOfType(CallChatException.class, () -> policy.room(sid));

            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(e.detail()).startsWith("room must not look like a Twilio SID");
        }
    }

    @Test
    void roomsThatOnlyResembleASidAreFine() {
        assertThat(policy.room("CH" + "a".repeat(31))).hasSize(33);
        assertThat(policy.room("CH" + "a".repeat(33))).hasSize(35);
        assertThat(policy.room("CH" + "g".repeat(32))).hasSize(34);
        assertThat(policy.room("Board room CH" + "a".repeat(32))).startsWith("Board");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"200B", "00A0", "FEFF", "2060", "3164", "2800", "00AD", "200E", "061C", "115F", "FFA0",
            "2000", "202F", "3000", "FE0F", "034F", "E0041", "1D173"})
    void aNameOfOnlyAnInvisibleOrBlankCharacterIsRefused(String hex) {
        String raw = Character.toString(Integer.parseInt(hex, 16));

        CallChatException e = identityError(raw);

        assertThat(e.kind()).isIn(ErrorKind.BAD_REQUEST, ErrorKind.UNAUTHORIZED);
        if (e.kind() == ErrorKind.BAD_REQUEST) {
            assertThat(e.detail()).isEqualTo("username must contain a visible character (a letter, digit, punctuation mark or symbol)");
        }
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"200B", "FEFF", "2060", "3164", "00AD", "200E", "200F", "061C", "200C", "200D", "FFA0", "034F",
            "180E", "2061", "FE0F", "E0041"})
    void invisibleCharactersAreRemovedSoLookalikesAreOneIdentity(String hex) {
        String invisible = Character.toString(Integer.parseInt(hex, 16));

        assertThat(policy.identity("ana" + invisible)).isEqualTo("ana");
        assertThat(policy.identity(invisible + "ana")).isEqualTo("ana");
        assertThat(policy.identity("an" + invisible + "a")).isEqualTo("ana");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"00A0", "2002", "2009", "202F", "205F", "3000", "2800"})
    void blanksBecomeOnePlainSpace(String hex) {
        String blank = Character.toString(Integer.parseInt(hex, 16));

        assertThat(policy.identity("ana" + blank + "bob")).isEqualTo("ana bob");
        assertThat(policy.identity(blank + "ana" + blank)).isEqualTo("ana");
        assertThat(policy.identity("ana " + blank + " bob")).isEqualTo("ana bob");
    }

    @Test
    void emojiKeepTheJoinersAndSelectorsThatShapeThem() {
        assertThat(policy.identity("\u2764\uFE0F ana")).isEqualTo("\u2764\uFE0F ana");
        assertThat(policy.identity("\uD83D\uDC69\u200D\uD83D\uDCBB")).isEqualTo("\uD83D\uDC69\u200D\uD83D\uDCBB");
        assertThat(policy.identity("\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08")).isEqualTo("\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08");
        assertThat(policy.identity("a\u200Db")).as("a joiner between letters shows nothing").isEqualTo("ab");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0301", "\u0301ana", "ana \u0301", "\u20DD"})
    void aCombiningMarkWithNoLetterBeforeItIsRefused(String raw) {
        CallChatException e = identityError(raw);

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.detail()).containsAnyOf("combining mark", "visible character");
    }

    @Test
    void invisibleCharactersAreRemovedBeforeCountingTheLength() {
        assertThat(policy.identity("a\u200B".repeat(64))).isEqualTo("a".repeat(64));
    }

    @Test
    void roomsFollowTheSameVisibilityRules() {
        assertThat(policy.room("My\u00A0Room\u200B")).isEqualTo("My Room");
        assertThat(catchThrowableOfType(CallChatException.class, () -> policy.room("\u200B")).kind())
                .isEqualTo(ErrorKind.BAD_REQUEST);
    }
}

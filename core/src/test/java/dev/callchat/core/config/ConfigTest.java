package dev.callchat.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {
    private static final String ACCOUNT = "AC" + "0123456789abcdef0123456789abcdef";
    private static final String KEY = "SK" + "0123456789abcdef0123456789abcdef";
    private static final String SECRET = "s3cr3t-value-that-must-never-leak";
    private static final String SERVICE = "IS" + "0123456789abcdef0123456789abcdef";

    private static Map<String, String> twilio() {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", ACCOUNT);
        env.put("TWILIO_API_KEY_SID", KEY);
        env.put("TWILIO_API_KEY_SECRET", SECRET);
        return env;
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> env = new HashMap<>(base);
        env.put(name, value);
        return env;
    }

    @Test
    void defaultsSelectTheLocalProviderOnLoopback() {
        Config config = Config.defaults();

        assertThat(config.providerName()).isEqualTo("local");
        assertThat(ServerConfig.from(Map.of()).host()).isEqualTo("127.0.0.1");
        assertThat(ServerConfig.from(Map.of()).port()).isEqualTo(8080);
        assertThat(config.defaultRoom()).isEqualTo("My Room");
        assertThat(config.tokenTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.chatRequired()).isFalse();
        assertThat(config.loginRate()).isEqualTo(LoginRate.DEFAULT);
    }

    @Test
    void allThreeTwilioVariablesSelectTheTwilioProvider() {
        Config config = Config.from(twilio());

        assertThat(config.providerName()).isEqualTo("twilio");
        assertThat(config.twilio().orElseThrow().accountSid()).isEqualTo(ACCOUNT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TWILIO_ACCOUNT_SID", "TWILIO_API_KEY_SID", "TWILIO_API_KEY_SECRET"})
    void aPartialTwilioSetNamesTheMissingVariable(String missing) {
        Map<String, String> env = twilio();
        env.remove(missing);

        assertThatThrownBy(() -> Config.from(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": is missing")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aBlankTwilioVariableCountsAsMissing() {
        assertThatThrownBy(() -> Config.from(with(twilio(), "TWILIO_API_KEY_SECRET", "   ")))
                .hasMessageStartingWith("TWILIO_API_KEY_SECRET: is missing");
    }

    @ParameterizedTest
    @CsvSource({
            "TWILIO_ACCOUNT_SID, AC, SK0123456789abcdef0123456789abcdef",
            "TWILIO_ACCOUNT_SID, AC, AC0123",
            "TWILIO_ACCOUNT_SID, AC, AC0123456789ABCDEF0123456789ABCDEF",
            "TWILIO_API_KEY_SID, SK, AC0123456789abcdef0123456789abcdef",
            "TWILIO_API_KEY_SID, SK, SK0123456789abcdef0123456789abcdeg",
            "TWILIO_CONVERSATIONS_SERVICE_SID, IS, CH0123456789abcdef0123456789abcdef",
            "TWILIO_CONVERSATIONS_SERVICE_SID, IS, IS123"})
    void malformedSidsAreRejectedByName(String variable, String prefix, String value) {
        assertThatThrownBy(() -> Config.from(with(twilio(), variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": must be '" + prefix + "' followed by 32 lowercase hex digits");
    }

    @Test
    void aSidWhereTheSecretBelongsIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> Config.from(with(twilio(), "TWILIO_API_KEY_SID", SECRET)))
                .hasMessageStartingWith("TWILIO_API_KEY_SID:")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aConfiguredServiceSidIsKept() {
        assertThat(Config.from(with(twilio(), "TWILIO_CONVERSATIONS_SERVICE_SID", SERVICE)).conversationsServiceSid())
                .contains(SERVICE);
    }

    @ParameterizedTest
    @CsvSource({"3600, 3600", "1h, 3600", "90m, 5400", "24h, 86400", "60, 60", "600s, 600"})
    void tokenTtlAcceptsSecondsAndUnits(String value, long seconds) {
        assertThat(Config.from(Map.of("CALLCHAT_TOKEN_TTL", value)).tokenTtl()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-5", "1.5h", "25h", "86401", "59", "0", "10 days"})
    void badTokenTtlsAreRejected(String value) {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_TOKEN_TTL", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_TOKEN_TTL: ");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "yes, true", "1, true", "on, true", "false, false", "no, false",
            "0, false", "off, false"})
    void booleansAcceptTheUsualSpellings(String value, boolean expected) {
        assertThat(Config.from(Map.of("CALLCHAT_CHAT_REQUIRED", value)).chatRequired()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"CALLCHAT_CHAT_REQUIRED, maybe", "CALLCHAT_CHAT_REQUIRED, 2", "CALLCHAT_TRUST_PROXY, tru"})
    void badBooleansAreRejected(String variable, String value) {
        assertThatThrownBy(() -> Config.from(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(variable + ": must be true or false (got '" + value + "')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "-1", "65536", "80.5", "99999999999"})
    void badPortsAreRejected(String value) {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("PORT", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("PORT: ");
    }

    @Test
    void portZeroPicksAFreePort() {
        assertThat(ServerConfig.from(Map.of("PORT", "0")).port()).isZero();
    }

    @Test
    void theLibraryConfigurationNeverReadsTheHostApplicationsServerVariables() {
        Map<String, String> hostApplication = Map.of("PORT", "http://0.0.0.0:5000", "HOST", "", "CALLCHAT_ROOM", "Lobby");

        assertThat(Config.from(hostApplication).defaultRoom()).isEqualTo("Lobby");
        assertThatThrownBy(() -> ServerConfig.from(hostApplication)).hasMessageStartingWith("PORT: ");
    }

    @Test
    void aMisspeltCallchatVariableIsRefusedByName() {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_ROM", "Lobby")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("CALLCHAT_ROM: is not a callchat variable (a typo?); the variables are listed in .env.template");
    }

    @Test
    void aMisspeltVariableInDotenvIsRefusedButInTheProcessEnvironmentOnlyReported(@TempDir Path dir) throws IOException {
        assertThat(EnvironmentConfig.load(dir, Map.of("CALLCHAT_ROM", "Lobby", "CALLCHAT_ROOM", "Hall")).unknownVariables())
                .containsExactly("CALLCHAT_ROM");
        Files.writeString(dir.resolve(".env"), "CALLCHAT_TOKEN_TT=1h\n");

        assertThatThrownBy(() -> Config.fromEnvironment(dir, Map.of())).hasMessageStartingWith("CALLCHAT_TOKEN_TT: ");
    }

    @Test
    void applicationPropertiesBelowCallchatNameTheSameVariables() {
        Config config = EnvironmentConfig.of(Map.of("CALLCHAT_ROOM", "Env Room", "CALLCHAT_TOKEN_TTL", "2h"))
                .withProperties(Map.of("room", "Property Room", "login-rate", "off")).library().build();

        assertThat(config.defaultRoom()).isEqualTo("Property Room");
        assertThat(config.tokenTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(config.loginRate().limited()).isFalse();
        assertThatThrownBy(() -> EnvironmentConfig.of(Map.of()).withProperties(Map.of("rom", "x")))
                .hasMessageStartingWith("callchat.rom: is not a callchat setting");
        assertThatThrownBy(() -> EnvironmentConfig.of(Map.of()).withProperties(Map.of("twilio.acount-sid", "x")))
                .hasMessageStartingWith("callchat.twilio.acount-sid: ");
    }

    @Test
    void otherVariablesOfTheHostApplicationAreIgnored() {
        assertThat(Config.from(Map.of("JAVA_HOME", "/opt/jdk", "CALLCHATTER", "x")).providerName()).isEqualTo("local");
    }

    @Test
    void theBuilderStartsAtTheNamedDefaultsAndValidatesLikeTheEnvironment() {
        Config config = Config.builder().build();

        assertThat(config.defaultRoom()).isEqualTo(Config.DEFAULT_ROOM);
        assertThat(config.tokenTtl()).isEqualTo(Config.DEFAULT_TOKEN_TTL);
        assertThat(config.loginRate()).isEqualTo(LoginRate.DEFAULT);
        assertThat(config.maxUploadBytes()).isEqualTo(Config.DEFAULT_MAX_UPLOAD);
        assertThatThrownBy(() -> Config.builder().tokenTtl(Duration.ofSeconds(30)).build())
                .hasMessageStartingWith(EnvironmentConfig.TOKEN_TTL + ": must be at least 60 seconds");
        assertThatThrownBy(() -> Config.builder().defaultRoom("x".repeat(Config.MAX_ROOM_LENGTH + 1)).validate())
                .hasMessageStartingWith("CALLCHAT_ROOM: ");
        assertThatThrownBy(() -> Config.builder().localSecret("short").build())
                .hasMessageStartingWith("CALLCHAT_LOCAL_SECRET: ").hasMessageNotContaining("short");
    }

    @Test
    void toBuilderChangesOnlyWhatItIsTold() {
        Config original = Config.from(Map.of("CALLCHAT_ROOM", "Lobby", "CALLCHAT_TOKEN_TTL", "2h"));

        Config changed = original.toBuilder().loginRate(LoginRate.UNLIMITED).build();

        assertThat(changed.defaultRoom()).isEqualTo("Lobby");
        assertThat(changed.tokenTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(changed.loginRate().limited()).isFalse();
    }

    @Test
    void aRoomOfTheLongestLengthIsTheSameBoundForConfigAndLogins() {
        String longest = "r".repeat(Config.MAX_ROOM_LENGTH);

        assertThat(Config.builder().defaultRoom(longest).build().defaultRoom()).isEqualTo(longest);
        assertThat(dev.callchat.core.IdentityPolicy.standard().room(longest)).isEqualTo(longest);
    }

    @ParameterizedTest
    @CsvSource({"30/min, 30, PT1M", "5/s, 5, PT1S", "600/h, 600, PT1H", "10 / minute, 10, PT1M"})
    void loginRatesParse(String value, int capacity, Duration period) {
        assertThat(Config.from(Map.of("CALLCHAT_LOGIN_RATE", value)).loginRate())
                .isEqualTo(new LoginRate(capacity, period));
    }

    @Test
    void loginRateOffDisablesLimiting() {
        assertThat(Config.from(Map.of("CALLCHAT_LOGIN_RATE", "off")).loginRate().limited()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "30 per minute", "/min", "30/day", "0/min", "-1/s"})
    void badLoginRatesAreRejected(String value) {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_LOGIN_RATE", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_LOGIN_RATE: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com", "not a url", "http://", "/relative/path", "127.0.0.1:8089"})
    void badApiBaseUrlsAreRejected(String value) {
        assertThatThrownBy(() -> Config.from(with(twilio(), "TWILIO_API_BASE_URL", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("TWILIO_API_BASE_URL: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://calls.example.com", "not a url", "/relative", "https://calls.example.com/?x=1",
            "https://calls.example.com/#top", "https://user:pw@calls.example.com"})
    void badPublicUrlsAreRejected(String value) {
        assertThatThrownBy(() -> Config.from(with(twilio(), "CALLCHAT_PUBLIC_URL", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_PUBLIC_URL: ");
    }

    @Test
    void roomEventsFromTwilioNeedThePublicUrlAndTheAuthTokenWhichIsNeverPrinted() {
        Map<String, String> both = with(with(twilio(), "CALLCHAT_PUBLIC_URL", "https://example.com/video/"),
                "TWILIO_AUTH_TOKEN", "auth-token-that-must-not-leak");
        Config config = Config.from(both);

        assertThat(config.twilioEvents()).isTrue();
        assertThat(config.publicUrl()).contains(URI.create("https://example.com/video"));
        assertThat(config.twilioAuthToken().orElseThrow().reveal()).isEqualTo("auth-token-that-must-not-leak");
        assertThat(config.toString()).doesNotContain("auth-token-that-must-not-leak");
        assertThat(config.toBuilder().build().twilioAuthToken()).isEqualTo(config.twilioAuthToken());
        assertThat(Config.from(with(twilio(), "TWILIO_AUTH_TOKEN", "t")).twilioEvents()).isFalse();
        assertThat(Config.from(with(twilio(), "CALLCHAT_PUBLIC_URL", "https://example.com")).twilioEvents()).isFalse();
        assertThat(Config.from(with(with(Map.of(), "CALLCHAT_PUBLIC_URL", "https://example.com"), "TWILIO_AUTH_TOKEN", "t"))
                .twilioEvents()).as("local mode").isFalse();
    }

    @Test
    void anApiBaseUrlIsKept() {
        assertThat(Config.from(with(twilio(), "TWILIO_API_BASE_URL", "http://127.0.0.1:8089")).apiBaseUrl())
                .contains(URI.create("http://127.0.0.1:8089"));
    }

    @ParameterizedTest
    @CsvSource({"CALLCHAT_UPSTREAM_TIMEOUT, 10ms", "CALLCHAT_UPSTREAM_TIMEOUT, 2m", "CALLCHAT_LOGIN_DEADLINE, 50ms",
            "CALLCHAT_LOGIN_DEADLINE, 3m", "CALLCHAT_LOGIN_DEADLINE, soon"})
    void timeoutsOutOfRangeAreRejected(String variable, String value) {
        assertThatThrownBy(() -> Config.from(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": ");
    }

    @Test
    void aShortLocalSecretIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> Config.from(Map.of("CALLCHAT_LOCAL_SECRET", "short-secret")))
                .hasMessageStartingWith("CALLCHAT_LOCAL_SECRET: ")
                .hasMessageNotContaining("short-secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0007bell", " "})
    void badDefaultRoomsAreRejected(String value) {
        Map<String, String> env = Map.of("CALLCHAT_ROOM", value);
        if (value.isBlank()) {
            // blank means "unset": the default applies
            assertThat(Config.from(env).defaultRoom()).isEqualTo("My Room");
        } else {
            assertThatThrownBy(() -> Config.from(env)).hasMessageStartingWith("CALLCHAT_ROOM: ");
        }
    }

    @Test
    void toStringNeverShowsSecrets() {
        Map<String, String> env = twilio();
        env.put("CALLCHAT_LOCAL_SECRET", "local-secret-local-secret-local-secret");
        Config config = Config.from(env);

        assertThat(config.toString()).doesNotContain(SECRET).doesNotContain("local-secret-local").contains(ACCOUNT);
        assertThat(config.twilio().orElseThrow().toString()).doesNotContain(SECRET);
    }

    @Test
    void aDotenvFileIsReadAndTheEnvironmentWins(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "CALLCHAT_ROOM=From File\nPORT=9000\n");

        EnvironmentConfig environment = EnvironmentConfig.load(dir, Map.of("PORT", "9100"));

        assertThat(environment.library().build().defaultRoom()).isEqualTo("From File");
        assertThat(environment.server().build().port()).isEqualTo(9100);
    }

    @Test
    void aMissingDotenvFileIsFine(@TempDir Path dir) {
        assertThat(Config.fromEnvironment(dir, Map.of()).providerName()).isEqualTo("local");
    }

    @Test
    void aMalformedDotenvFileFailsWithoutQuotingItsLines(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "PORT=9000\nTWILIO_API_KEY_SECRET " + SECRET + "\n");

        assertThatThrownBy(() -> Config.fromEnvironment(dir, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(".env: ")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aDotenvSecretIsNotInTheValidationMessageOfAnotherVariable(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "TWILIO_ACCOUNT_SID=" + ACCOUNT + "\nTWILIO_API_KEY_SECRET=" + SECRET + "\n");

        assertThatThrownBy(() -> Config.fromEnvironment(dir, Map.of()))
                .hasMessageStartingWith("TWILIO_API_KEY_SID: is missing")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void theAdaptersMountIsNoSettingOfTheService() {
        Config config = EnvironmentConfig.of(Map.of()).withProperties(Map.of("path", "/video", "room", "Mounted Room"))
                .library().build();

        assertThat(config.defaultRoom()).isEqualTo("Mounted Room");
    }
}

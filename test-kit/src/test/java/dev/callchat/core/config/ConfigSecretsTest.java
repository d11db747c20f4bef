package dev.callchat.core.config;

import dev.callchat.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** No secret of the configuration is printed by the toString of the Config or of any part of it, however deep. */
class ConfigSecretsTest {
    private static final String TWILIO_SECRET = "twilio-api-key-secret-abcdef0123456789";
    private static final String LOCAL_SECRET = "local-signing-secret-0123456789abcdef";

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.generate(dir);
    }

    @Test
    void noPartOfTheConfigPrintsASecret() throws Exception {
        Map<String, String> variables = Map.of(
                "TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32),
                "TWILIO_API_KEY_SID", "SK" + "1".repeat(32),
                "TWILIO_API_KEY_SECRET", TWILIO_SECRET,
                "CALLCHAT_LOCAL_SECRET", LOCAL_SECRET,
                "CALLCHAT_TLS_KEYSTORE", certs.keystore().toString(),
                "CALLCHAT_TLS_KEYSTORE_PASSWORD", certs.password());
        Config config = Config.from(variables);
        ServerConfig server = ServerConfig.from(variables);
        List<String> secrets = List.of(TWILIO_SECRET, LOCAL_SECRET, certs.password());

        List<String> printed = new ArrayList<>();
        collect(config, printed);
        collect(server, printed);

        assertThat(printed).hasSizeGreaterThan(20);
        for (String text : printed) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
        assertThat(config.localSecret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(LOCAL_SECRET));
        assertThat(config.twilio().orElseThrow().apiKeySecret().reveal()).isEqualTo(TWILIO_SECRET);
        assertThat(server.https().orElseThrow().keystorePassword().orElseThrow().reveal()).isEqualTo(certs.password());
    }

    @Test
    void aSecretPrintsAsRedactedAndComparesByValue() {
        Secret secret = Secret.of(LOCAL_SECRET);

        assertThat(secret).hasToString("<redacted>").isEqualTo(Secret.of(LOCAL_SECRET)).isNotEqualTo(Secret.of("other"));
        assertThat(Optional.of(secret).toString()).isEqualTo("Optional[<redacted>]");
        assertThat(List.of(secret).toString()).doesNotContain(LOCAL_SECRET);
    }

    /** The toString of the value, and of every accessor, record component and Optional content within it. */
    private static void collect(Object value, List<String> printed) throws Exception {
        if (value == null) {
            return;
        }
        printed.add(String.valueOf(value));
        if (value instanceof Optional<?> optional) {
            collect(optional.orElse(null), printed);
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                collect(component.getAccessor().invoke(record), printed);
            }
        } else if (!(value instanceof Secret) && value.getClass().getPackageName().equals(Config.class.getPackageName())) {
            for (Method accessor : value.getClass().getDeclaredMethods()) {
                if (Modifier.isPublic(accessor.getModifiers()) && !Modifier.isStatic(accessor.getModifiers())
                        && accessor.getParameterCount() == 0 && accessor.getReturnType() != void.class
                        && !accessor.getName().equals("toBuilder") && !accessor.getName().equals("hashCode")) {
                    collect(accessor.invoke(value), printed);
                }
            }
        }
    }
}

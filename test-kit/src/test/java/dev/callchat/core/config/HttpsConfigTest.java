package dev.callchat.core.config;

import dev.callchat.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CALLCHAT_TLS_*: every way to get it wrong names its variable in one line, without the password. */
class HttpsConfigTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void generate() throws Exception {
        certs = TestCertificates.generate(dir);
    }

    @Test
    void noTlsVariablesMeanNoHttpsListener() {
        assertThat(ServerConfig.from(Map.of()).https()).isEmpty();
    }

    @Test
    void aKeystoreAndItsPasswordGiveAnHttpsListenerOn8443() {
        ServerConfig config = ServerConfig.from(Map.of("CALLCHAT_TLS_KEYSTORE", certs.keystore().toString(),
                "CALLCHAT_TLS_KEYSTORE_PASSWORD", certs.password()));

        assertThat(config.https()).hasValueSatisfying(https -> {
            assertThat(https.port()).isEqualTo(8443);
            assertThat(https.sslContext().getProtocol()).isEqualTo("TLS");
        });
    }

    @Test
    void pemCertificateAndPkcs8KeyGiveAnHttpsListenerOnTheConfiguredPort() {
        ServerConfig config = ServerConfig.from(Map.of("CALLCHAT_TLS_CERT", certs.certificatePem().toString(),
                "CALLCHAT_TLS_KEY", certs.privateKeyPem().toString(), "CALLCHAT_TLS_PORT", "9443"));

        assertThat(config.https()).hasValueSatisfying(https -> assertThat(https.port()).isEqualTo(9443));
    }

    @Test
    void aWrongKeystorePasswordNamesThePasswordVariableWithoutQuotingIt() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_KEYSTORE", certs.keystore().toString(),
                "CALLCHAT_TLS_KEYSTORE_PASSWORD", "not-the-password-42")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CALLCHAT_TLS_KEYSTORE_PASSWORD: ")
                .hasMessageNotContaining("not-the-password-42")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingKeystoreFileNamesTheKeystoreVariable() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_KEYSTORE", dir.resolve("absent.p12").toString(),
                "CALLCHAT_TLS_KEYSTORE_PASSWORD", "x")))
                .hasMessageStartingWith("CALLCHAT_TLS_KEYSTORE: cannot read").hasMessageContaining("no such file");
    }

    @Test
    void aKeystoreWithoutItsPasswordNamesThePasswordVariable() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_KEYSTORE", certs.keystore().toString())))
                .hasMessageStartingWith("CALLCHAT_TLS_KEYSTORE_PASSWORD: is missing");
    }

    @Test
    void aCertificateWithoutAKeyNamesTheKeyVariable() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_CERT", certs.certificatePem().toString())))
                .hasMessageStartingWith("CALLCHAT_TLS_KEY: is missing");
    }

    @Test
    void aKeystoreAndPemFilesTogetherAreRefused() {
        Map<String, String> env = new HashMap<>(Map.of("CALLCHAT_TLS_KEYSTORE", certs.keystore().toString(),
                "CALLCHAT_TLS_KEYSTORE_PASSWORD", certs.password(), "CALLCHAT_TLS_CERT", certs.certificatePem().toString(),
                "CALLCHAT_TLS_KEY", certs.privateKeyPem().toString()));

        assertThatThrownBy(() -> ServerConfig.from(env)).hasMessageStartingWith("CALLCHAT_TLS_KEYSTORE: cannot be combined");
    }

    @Test
    void aTlsPortWithoutKeyMaterialIsRefused() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_PORT", "8443")))
                .hasMessageStartingWith("CALLCHAT_TLS_PORT: is set but no key is");
    }

    @Test
    void theTlsPortMustDifferFromTheHttpPort() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_CERT", certs.certificatePem().toString(),
                "CALLCHAT_TLS_KEY", certs.privateKeyPem().toString(), "CALLCHAT_TLS_PORT", "8080")))
                .hasMessageStartingWith("CALLCHAT_TLS_PORT: must differ from PORT");
    }

    @Test
    void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        Path pkcs1 = dir.resolve("rsa.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_CERT", certs.certificatePem().toString(),
                "CALLCHAT_TLS_KEY", pkcs1.toString())))
                .hasMessageStartingWith("CALLCHAT_TLS_KEY: ").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aFileThatIsNoCertificateNamesTheCertificateVariable() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_CERT", certs.privateKeyPem().toString(),
                "CALLCHAT_TLS_KEY", certs.privateKeyPem().toString())))
                .hasMessageStartingWith("CALLCHAT_TLS_CERT: ");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused(@TempDir Path other) throws Exception {
        TestCertificates stranger = TestCertificates.generate(other);

        assertThatThrownBy(() -> ServerConfig.from(Map.of("CALLCHAT_TLS_CERT", certs.certificatePem().toString(),
                "CALLCHAT_TLS_KEY", stranger.privateKeyPem().toString())))
                .hasMessageStartingWith("CALLCHAT_TLS_KEY: ").hasMessageContaining("is not the private key");
    }

    @Test
    void theKeystorePasswordNeverAppearsInToString() {
        ServerConfig config = ServerConfig.from(Map.of("CALLCHAT_TLS_KEYSTORE", certs.keystore().toString(),
                "CALLCHAT_TLS_KEYSTORE_PASSWORD", certs.password()));

        assertThat(config.toString()).doesNotContain(certs.password()).contains("https=HttpsListener[port=8443");
    }
}

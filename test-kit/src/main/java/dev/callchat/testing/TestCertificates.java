package dev.callchat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made at test time
 * by the JDK's {@code keytool} (no private key is ever committed), as a PKCS12 keystore and as PEM files.
 *
 * @param keystore       the PKCS12 keystore
 * @param password       its password (random per generation)
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem  the private key, unencrypted PKCS#8 PEM
 */
public record TestCertificates(Path keystore, String password, Path certificatePem, Path privateKeyPem) {
    private static final String ALIAS = "callchat-test";

    /**
     * @param directory where to write the files (a JUnit {@code @TempDir})
     * @return the generated files
     * @throws Exception when keytool fails or takes over 60 s
     */
    public static TestCertificates generate(Path directory) throws Exception {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path keystore = directory.resolve("test-server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).redirectOutput(directory.resolve("keytool.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + Files.readString(directory.resolve("keytool.log")));
        }
        KeyStore store = load(keystore, password);
        Path certificatePem = directory.resolve("test-server.crt.pem");
        Path privateKeyPem = directory.resolve("test-server.key.pem");
        Files.writeString(certificatePem, pem("CERTIFICATE", store.getCertificate(ALIAS).getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(privateKeyPem, pem("PRIVATE KEY", store.getKey(ALIAS, password.toCharArray()).getEncoded()),
                StandardCharsets.US_ASCII);
        return new TestCertificates(keystore, password, certificatePem, privateKeyPem);
    }

    /**
     * @return a client context that trusts exactly this certificate (for {@link java.net.http.HttpClient})
     * @throws Exception when the keystore cannot be read
     */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Certificate certificate = load(keystore, password).getCertificate(ALIAS);
        trust.setCertificateEntry(ALIAS, certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "TestCertificates[keystore=" + keystore + ", password=<redacted>]";
    }

    private static KeyStore load(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) throws IOException {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

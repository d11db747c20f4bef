package dev.callchat.core.config;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTPS listener beside the plain HTTP one, for serving a LAN (browsers give camera and microphone
 * only to {@code https://} pages and {@code localhost}). Its key and certificate come either from a
 * PKCS12 keystore or from two PEM files; {@link ServerConfig.Builder#build()} loads them once at start-up, so a wrong
 * path, password or file fails there with one line naming the variable.
 *
 * @param port             the HTTPS port ({@code CALLCHAT_TLS_PORT}, default 8443; 0 picks a free one)
 * @param keystore         a PKCS12 file with the server's private key and certificate chain
 *                         ({@code CALLCHAT_TLS_KEYSTORE}); empty when PEM files are used
 * @param keystorePassword the keystore's password ({@code CALLCHAT_TLS_KEYSTORE_PASSWORD}); a secret
 * @param certificate      a PEM certificate chain, server certificate first ({@code CALLCHAT_TLS_CERT});
 *                         empty when a keystore is used
 * @param privateKey       the matching unencrypted PKCS#8 PEM private key ({@code CALLCHAT_TLS_KEY})
 */
public record HttpsListener(int port, Optional<Path> keystore, Optional<Secret> keystorePassword,
                            Optional<Path> certificate, Optional<Path> privateKey) {
    private static final String KEYSTORE = "CALLCHAT_TLS_KEYSTORE";
    private static final String PASSWORD = "CALLCHAT_TLS_KEYSTORE_PASSWORD";
    private static final String CERT = "CALLCHAT_TLS_CERT";
    private static final String KEY = "CALLCHAT_TLS_KEY";

    /**
     * Checks that exactly one source of key material is complete.
     *
     * @param port             the HTTPS port ({@code CALLCHAT_TLS_PORT}, default 8443; 0 picks a free one)
     * @param keystore         a PKCS12 file with the server's private key and certificate chain
     * @param keystorePassword the keystore's password; a secret
     * @param certificate      a PEM certificate chain, server certificate first
     * @param privateKey       the matching unencrypted PKCS#8 PEM private key
     */
    public HttpsListener {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        boolean pkcs12 = keystore.isPresent() && keystorePassword.isPresent();
        boolean pem = certificate.isPresent() && privateKey.isPresent();
        if (pkcs12 == pem) {
            throw new IllegalArgumentException("need either a keystore and its password, or a certificate and a private key");
        }
    }

    /**
     * Loads the key material and builds the server's TLS context.
     *
     * @return a context holding the server's key and certificate chain
     * @throws ConfigException naming the variable whose file is missing, unreadable, of the wrong
     *                         format, or (for the keystore) opened with the wrong password
     */
    public SSLContext sslContext() {
        char[] password = keystorePassword.map(p -> p.reveal().toCharArray()).orElseGet(HttpsListener::randomPassword);
        KeyStore store = keystore.isPresent() ? loadKeystore(keystore.get(), password) : fromPem(password);
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(keystore.isPresent() ? PASSWORD : KEY,
                    "the private key cannot be used for TLS (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Never prints the keystore password. */
    @Override
    public String toString() {
        return "HttpsListener[port=" + port + ", " + keystore.map(k -> "keystore=" + k + ", keystorePassword=" + keystorePassword.orElseThrow())
                .orElseGet(() -> "certificate=" + certificate.orElseThrow() + ", privateKey=" + privateKey.orElseThrow()) + "]";
    }

    private static KeyStore loadKeystore(Path file, char[] password) {
        byte[] bytes = read(KEYSTORE, file);
        KeyStore store;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(PASSWORD, "does not open " + KEYSTORE + " " + file
                    + " (wrong password, or the file is not a PKCS12 keystore)");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificateChain(alias) != null) {
                    return store;
                }
            }
        } catch (GeneralSecurityException e) {
            // fall through to the explanation below
        }
        throw new ConfigException(KEYSTORE, file + " holds no private key with its certificate");
    }

    private KeyStore fromPem(char[] password) {
        Path certFile = certificate.orElseThrow();
        Path keyFile = privateKey.orElseThrow();
        Collection<? extends Certificate> chain;
        try {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(read(CERT, certFile)));
        } catch (CertificateException e) {
            chain = java.util.List.of();
        }
        if (chain.isEmpty()) {
            throw new ConfigException(CERT, certFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key = pkcs8Key(keyFile);
        Certificate leaf = chain.iterator().next();
        if (!matches(key, leaf)) {
            throw new ConfigException(KEY, keyFile + " is not the private key of the first certificate in " + CERT);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("callchat", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(KEY, "cannot hold the key in memory (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey pkcs8Key(Path file) {
        String pem = new String(read(KEY, file), StandardCharsets.US_ASCII);
        String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out key-pkcs8.pem";
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new ConfigException(KEY, file + " is encrypted; callchat reads an unencrypted PKCS#8 key" + convert);
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new ConfigException(KEY, file + " is a PKCS#1/SEC1 key, not PKCS#8 (-----BEGIN PRIVATE KEY-----)" + convert);
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new ConfigException(KEY, file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY, file + " is not valid base64 between its PEM markers");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(KEY, file + " is not an RSA or EC private key in PKCS#8 form");
    }

    /** Signs with the key and verifies with the certificate: a mismatched pair would fail every handshake. */
    private static boolean matches(PrivateKey key, Certificate certificate) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            byte[] probe = "callchat".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] read(String variable, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(variable, "cannot read " + file + " (" + (Files.exists(file) ? "not readable" : "no such file") + ")");
        }
    }

    private static char[] randomPassword() {
        // Protects only the in-memory keystore built from PEM files; never leaves this object.
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }
}

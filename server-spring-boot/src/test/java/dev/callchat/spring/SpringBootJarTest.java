package dev.callchat.spring;

import dev.callchat.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable jar's {@code main}, as a process of its own. */
class SpringBootJarTest {
    @Test
    void tlsVariablesAreRefusedWithExit2RatherThanServedOverPlainHttp(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CallChatSpringBoot.class.getName())
                .directory(dir.toFile());
        java.environment().put("PORT", "0");
        java.environment().put("CALLCHAT_TLS_KEYSTORE", certs.keystore().toString());
        java.environment().put("CALLCHAT_TLS_KEYSTORE_PASSWORD", certs.password());
        Process process = java.start();

        // 120 s only bounds a hang: the process stops before it starts Spring (on a loaded machine a JVM with this
        // class path took 30 s to get there).
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("callchat: invalid configuration: CALLCHAT_TLS_*: the Spring Boot jar serves no HTTPS;")
                .doesNotContain(certs.password());
    }
}

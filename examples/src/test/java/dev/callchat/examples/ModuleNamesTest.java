package dev.callchat.examples;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.JarURLConnection;
import java.net.URL;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every published jar names its Java module, so module-path users get a stable name. */
class ModuleNamesTest {
    @ParameterizedTest
    @CsvSource({
            "dev/callchat/core/CallSessionService.class, dev.callchat.core",
            "dev/callchat/undertow/CallChatUndertow.class, dev.callchat.undertow",
            "dev/callchat/micronaut/Main.class, dev.callchat.micronaut",
            "dev/callchat/spring/CallChatAutoConfiguration.class, dev.callchat.spring",
            "dev/callchat/twilio/TwilioProvider.class, dev.callchat.twilio",
            "dev/callchat/launcher/ServerMain.class, dev.callchat.launcher",
            "META-INF/resources/callchat/index.html, dev.callchat.webclient"})
    void eachLibraryJarDeclaresItsAutomaticModuleName(String resource, String moduleName) throws Exception {
        URL url = ModuleNamesTest.class.getClassLoader().getResource(resource);
        assertThat(url).as(resource).isNotNull();
        // Run from an IDE, the classes come from folders that have no manifest; Maven's verify uses the jars.
        assumeTrue(url.getProtocol().equals("jar"), "not packaged: " + url);

        Manifest manifest = ((JarURLConnection) url.openConnection()).getManifest();

        assertThat(manifest.getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(moduleName);
    }
}

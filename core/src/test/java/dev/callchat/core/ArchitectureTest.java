package dev.callchat.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The edges of core described in docs/architecture.md: no web framework, no provider SDK, the API and
 * the SPI free of implementations, and no package cycles.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.callchat.core");

    @Test
    void coreDependsOnNoWebFramework() {
        // The HTTP contract lives in core precisely so that no web framework does.
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.undertow..", "io.micronaut..", "io.netty..", "jakarta.servlet..", "javax.servlet..",
                        "org.springframework..", "io.javalin..", "io.helidon..", "com.sun.net.httpserver..")
                .check(CORE);
    }

    @Test
    void coreKnowsNoProviderSdk() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.twilio..", "dev.callchat.twilio..")
                .because("providers are found through the SPI (ProviderFactory), never named by core")
                .check(CORE);
    }

    @Test
    void theApiAndTheSpiDependOnNoImplementation() {
        noClasses().that().resideInAnyPackage("dev.callchat.core", "dev.callchat.core.spi")
                .should().dependOnClassesThat().resideInAnyPackage("dev.callchat.core.local..", "dev.callchat.core.http..")
                .check(CORE);
    }

    @Test
    void theSpiDoesNotDependOnTheApi() {
        noClasses().that().resideInAPackage("dev.callchat.core.spi")
                .should().dependOnClassesThat().resideInAPackage("dev.callchat.core")
                .because("the API uses the SPI; the reverse edge would make a cycle")
                .check(CORE);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.callchat.(**)").should().beFreeOfCycles().check(CORE);
    }
}

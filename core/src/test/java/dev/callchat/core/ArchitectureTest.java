package dev.callchat.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps core framework-free and the Twilio SDK inside its own package. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.callchat.core");

    @Test
    void coreDependsOnNoHttpFramework() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.undertow..", "io.micronaut..", "io.netty..", "jakarta.servlet..",
                        "javax.servlet..", "org.springframework..")
                .check(CORE);
    }

    @Test
    void onlyTheTwilioPackageTouchesTheTwilioSdk() {
        noClasses().that().resideOutsideOfPackage("dev.callchat.core.twilio..")
                .should().dependOnClassesThat().resideInAnyPackage("com.twilio..")
                .check(CORE);
    }

    @Test
    void providersDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("dev.callchat.core.local..")
                .should().dependOnClassesThat().resideInAPackage("dev.callchat.core.twilio..")
                .check(CORE);
        noClasses().that().resideInAPackage("dev.callchat.core.twilio..")
                .should().dependOnClassesThat().resideInAPackage("dev.callchat.core.local..")
                .check(CORE);
    }
}

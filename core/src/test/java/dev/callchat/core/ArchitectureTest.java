package dev.callchat.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.callchat.testing.Architecture;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps core framework-free, the Twilio SDK inside its own package, and the providers apart. */
class ArchitectureTest {
    private static final JavaClasses CORE = Architecture.mainClasses("dev.callchat.core");

    @Test
    void coreDependsOnNoWebFramework() {
        // The HTTP contract lives in core precisely so that no web framework does.
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.undertow..", "io.micronaut..", "io.netty..", "jakarta.servlet..", "javax.servlet..",
                        "org.springframework..", "io.javalin..", "io.helidon..", "com.sun.net.httpserver..")
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

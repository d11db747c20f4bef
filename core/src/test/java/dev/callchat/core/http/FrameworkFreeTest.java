package dev.callchat.core.http;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The HTTP contract lives in core precisely so that no web framework does: keep it that way. */
class FrameworkFreeTest {
    @Test
    void coreDependsOnNoWebFramework() {
        // Only our classes' own references matter; resolving the dependencies' classes too costs seconds.
        ArchConfiguration configuration = ArchConfiguration.get();
        boolean resolve = configuration.resolveMissingDependenciesFromClassPath();
        configuration.setResolveMissingDependenciesFromClassPath(false);
        JavaClasses core;
        try {
            core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.callchat.core");
        } finally {
            configuration.setResolveMissingDependenciesFromClassPath(resolve);
        }

        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.undertow..", "io.micronaut..", "io.netty..", "jakarta.servlet..", "javax.servlet..",
                "org.springframework..", "io.javalin..", "io.helidon..", "com.sun.net.httpserver..")
                .check(core);
    }
}

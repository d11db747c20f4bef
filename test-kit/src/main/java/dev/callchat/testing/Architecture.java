package dev.callchat.testing;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Architecture rules shared by core and every adapter module. */
public final class Architecture {
    private Architecture() {
    }

    /**
     * @param rootPackage the package to import, with its subpackages
     * @return its main (non-test) classes
     */
    public static JavaClasses mainClasses(String rootPackage) {
        // Only our classes' own references matter; resolving the dependencies' classes too costs seconds.
        ArchConfiguration configuration = ArchConfiguration.get();
        boolean resolve = configuration.resolveMissingDependenciesFromClassPath();
        configuration.setResolveMissingDependenciesFromClassPath(false);
        try {
            return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(rootPackage);
        } finally {
            configuration.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    /**
     * An adapter translates HTTP to core's API and back: it never reaches into a provider's
     * implementation (a provider's package, or the Twilio SDK itself): the local hub is reached through the
     * SPI's {@code RoomHub}, {@code HubPeer} and {@code HubConnection}.
     *
     * @param adapterPackage the adapter's root package
     */
    public static void checkAdapter(String adapterPackage) {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.callchat.twilio..", "dev.callchat.core.local..", "com.twilio..")
                .because("adapters contain no provider logic: parse, call core, render")
                .check(mainClasses(adapterPackage));
    }
}

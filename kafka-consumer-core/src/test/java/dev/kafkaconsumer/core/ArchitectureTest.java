package dev.kafkaconsumer.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * The rules of the core module's layout that the compiler does not enforce: the engine is framework-neutral, its
 * public API exposes no internal type, and the tests that start a broker say so, so that the mutation-testing
 * profile ({@code -Ppit}) can leave them out.
 */
class ArchitectureTest {

    private static final String API = "dev.kafkaconsumer.core";

    private static final String INTERNAL = "dev.kafkaconsumer.core.internal..";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(API);

    private static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages(API);

    @Test
    void theCoreModuleNamesNothingOfSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("the core is the framework-neutral engine; Spring lives in the autoconfigure module")
                .check(MAIN);
    }

    @Test
    void noPublicSignatureOfTheApiExposesAnInternalType() {
        codeUnits().that().arePublic().or().areProtected()
                .and().areDeclaredInClassesThat().resideInAPackage(API)
                .and().areDeclaredInClassesThat().arePublic()
                .should(exposeNoInternalType())
                .because("users compile against dev.kafkaconsumer.core only; internals change without notice")
                .check(MAIN);
        classes().that().resideInAPackage(API).and().arePublic()
                .should().notBeAssignableTo(DescribedPredicate.describe("an internal type",
                        (JavaClass type) -> type.getPackageName().startsWith(API + ".internal")))
                .check(MAIN);
    }

    @Test
    void everyTestThatStartsABrokerIsTaggedBroker() {
        classes().that(startABroker())
                .should(beTaggedBroker())
                .because("the mutation-testing profile runs only the tests that start no broker (excludedGroups broker)")
                .check(TESTS);
    }

    private static ArchCondition<JavaCodeUnit> exposeNoInternalType() {
        return new ArchCondition<>("expose no type of " + INTERNAL) {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                Stream.concat(Stream.of(unit.getRawReturnType()), unit.getRawParameterTypes().stream())
                        .filter(type -> type.getPackageName().startsWith(API + ".internal"))
                        .forEach(type -> events.add(SimpleConditionEvent.violated(unit,
                                unit.getFullName() + " exposes " + type.getName())));
            }
        };
    }

    private static DescribedPredicate<JavaClass> startABroker() {
        return DescribedPredicate.describe("start a broker (use KafkaBroker or KafkaBrokerExtension)",
                type -> type.getSimpleName().endsWith("Test") && !type.isEquivalentTo(ArchitectureTest.class) && (type.tryGetAnnotationOfType(ExtendWith.class)
                        .map(extendWith -> Arrays.asList(extendWith.value()).contains(KafkaBrokerExtension.class))
                        .orElse(false)
                        || type.getDirectDependenciesFromSelf().stream()
                                .anyMatch(dependency -> dependency.getTargetClass().isEquivalentTo(KafkaBroker.class))));
    }

    private static ArchCondition<JavaClass> beTaggedBroker() {
        return new ArchCondition<>("be tagged \"broker\"") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean tagged = type.tryGetAnnotationOfType(Tag.class).map(tag -> tag.value().equals("broker"))
                        .orElse(false);
                events.add(new SimpleConditionEvent(type, tagged, type.getName() + " starts a broker but is not "
                        + "@Tag(\"broker\")"));
            }
        };
    }

}

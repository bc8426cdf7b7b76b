package dev.kafkaconsumer.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

/**
 * The rules of the core module's layout that the compiler does not enforce: the engine is framework-neutral, its
 * public API exposes no internal type, the internals never name the public container (it hands them what they
 * need), the container's classes call each other without cycles, and the tests that start a broker say so, so
 * that the mutation-testing profile ({@code -Ppit}) can leave them out.
 */
class ArchitectureTest {

    private static final String API = "dev.kafkaconsumer.core";

    private static final String INTERNAL = "dev.kafkaconsumer.core.internal..";

    private static final String CONTAINER_INTERNALS = "dev.kafkaconsumer.core.internal.container";

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
    void nothingInternalNamesThePublicContainers() {
        noClasses().that().resideInAPackage(INTERNAL)
                .should().dependOnClassesThat().belongToAnyOf(ConsumerContainer.class, ShareConsumerContainer.class)
                .because("the public container hands its internals what they need (as KafkaConsumer does its delegate); "
                        + "an internal class that names it makes a cycle between the API and the implementation")
                .check(MAIN);
    }

    @Test
    void theContainersClassesDependOnEachOtherWithoutCycles() {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        for (JavaClass type : MAIN) {
            if (!type.getPackageName().equals(CONTAINER_INTERNALS)) {
                continue;
            }
            String from = topLevel(type).getSimpleName();
            Set<String> targets = graph.computeIfAbsent(from, name -> new TreeSet<>());
            type.getDirectDependenciesFromSelf().stream()
                    .map(dependency -> dependency.getTargetClass())
                    .filter(target -> target.getPackageName().equals(CONTAINER_INTERNALS))
                    .map(target -> topLevel(target).getSimpleName())
                    .filter(target -> !target.equals(from))
                    .forEach(targets::add);
        }
        assertThat(graph).as("the container's classes").containsKeys("ContainerRuntime", "RecordPipeline", "WorkRunner");
        assertThat(cycles(graph)).as("cycles between the container's classes (a class and what it depends on, back to it)")
                .isEmpty();
    }

    private static JavaClass topLevel(JavaClass type) {
        JavaClass top = type;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    /** Each cycle found by a depth-first walk, as the path from a class back to itself. */
    private static List<List<String>> cycles(Map<String, Set<String>> graph) {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String start : graph.keySet()) {
            walk(start, graph, new ArrayList<>(), done, cycles);
        }
        return cycles;
    }

    private static void walk(String node, Map<String, Set<String>> graph, List<String> path, Set<String> done,
            List<List<String>> cycles) {
        int seen = path.indexOf(node);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(node);
            cycles.add(cycle);
            return;
        }
        if (done.contains(node)) {
            return;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            walk(next, graph, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(node);
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

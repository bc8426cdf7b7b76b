package dev.kafkaconsumer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layout of the module: a package per case, which uses only the shared {@code harness} and the
 * {@code report}; neither of those uses a case, and {@code report} uses nothing else of the module. Read from
 * the sources: every reference to another package of the module is an import or a qualified name.
 */
class PackageLayoutTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/kafkaconsumer/benchmarks");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.kafkaconsumer\\.benchmarks\\.([a-z]+)\\.");
    private static final Set<String> CASES = Set.of("drain", "slow", "latency", "memory", "rebalance", "share", "transactions", "blocking", "scale", "apps", "jmh");

    @Test
    void everyCaseHasItsPackageAndNothingElseSitsBesideThem() throws IOException {
        try (Stream<Path> entries = Files.list(SOURCES)) {
            assertThat(entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("drain", "slow", "latency", "memory", "rebalance", "share", "transactions", "blocking", "scale", "apps", "jmh",
                            "harness",
                            "report");
        }
    }

    @Test
    void aCaseUsesOnlyTheHarnessAndTheReport() throws IOException {
        for (String benchCase : CASES) {
            assertThat(usedBy(benchCase)).as("packages used by %s", benchCase).isSubsetOf("harness", "report");
        }
    }

    @Test
    void theHarnessUsesNoCaseAndTheReportNothingElseOfTheModule() throws IOException {
        assertThat(usedBy("harness")).isEmpty();
        assertThat(usedBy("report")).isEmpty();
    }

    /** The other packages of the module that the sources of one package name. */
    private static Set<String> usedBy(String pkg) throws IOException {
        Set<String> used = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
        }
        assertThat(sources).as("sources of %s", pkg).isNotEmpty();
        for (Path source : sources) {
            Matcher matcher = REFERENCE.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (matcher.find()) {
                if (!matcher.group(1).equals(pkg)) {
                    used.add(matcher.group(1));
                }
            }
        }
        return used;
    }
}

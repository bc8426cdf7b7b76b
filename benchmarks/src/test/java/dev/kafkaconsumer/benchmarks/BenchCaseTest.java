package dev.kafkaconsumer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class BenchCaseTest {

    @Test
    void aCaseIsFoundByItsNameInAnyCaseAndAnUnknownNameListsTheKnownOnes() {
        assertThat(BenchCase.named(" B6 ")).isEqualTo(BenchCase.B6);
        assertThatThrownBy(() -> BenchCase.named("b99"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b1,b2").hasMessageContaining("jmh");
    }

    @Test
    void allRunsTheCasesInTheDocumentedOrder() {
        assertThat(BenchCase.values()).extracting(BenchCase::id).containsExactly("b1", "b2", "b1-protocols", "b2-protocols", "b1-tls", "b3", "b4",
                "b4-50k", "b4-protocols", "b5", "b6", "b7", "b8", "b9", "b9-slow", "b10", "b11", "b11-slow", "b12",
                "jmh");
    }

    @Test
    void aChildJvmGetsTheParentsOptionsWithItsOwnCaseInsteadOfTheParents() {
        List<String> command = SuiteRunner.command(BenchCase.B5, List.of("-Xmx2g", "-Dbench.case=all", "-Dbench.runs=3"), "a.jar:b.jar");

        assertThat(command).containsSubsequence("-Xmx2g", "-Dbench.runs=3", "-Dbench.case=b5", "-classpath", "a.jar:b.jar",
                Benchmarks.class.getName());
        assertThat(command).doesNotContain("-Dbench.case=all");
        assertThat(command.get(0)).endsWith("java");
    }
}

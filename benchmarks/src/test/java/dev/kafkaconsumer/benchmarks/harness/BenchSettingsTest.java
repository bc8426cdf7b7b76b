package dev.kafkaconsumer.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    private final BenchSettings.Defaults defaults = new BenchSettings.Defaults("b9", 1_000, 5, List.of("raw", "container", "slow"),
            List.of("raw", "container"), "results/b9-case.md");

    @Test
    void theCommandRepeatsRecordsAndRunsAndTheContendersOnlyWhenTheyAreNotTheDefault() {
        assertThat(defaults.with(10, 2, List.of("raw", "container")).command())
                .isEqualTo("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b9 -Dbench.records=10 -Dbench.runs=2");
        assertThat(defaults.with(10, 2, List.of("slow")).command()).endsWith(" -Dbench.contenders=slow");
        assertThat(defaults.with(10, 2, List.of("slow")).output()).isEqualTo(Path.of("results/b9-case.md"));
    }

    @Test
    void aContenderTheCaseDoesNotKnowOrNoContenderAtAllIsRefusedWithTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.with(10, 2, List.of("raw", "spring")))
                .withMessage("bench.contenders is [raw, spring]; for b9 use one or more of raw,container,slow");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.with(10, 2, List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.with(0, 2, List.of("raw")))
                .withMessageContaining("must be positive");
    }

    @Test
    void aChosenGroupProtocolIsInTheHeadingAndTheCommandAndNoChoiceLeavesBothAsTheyWere() {
        BenchSettings unchosen = defaults.with(10, 2, List.of("raw", "container"));
        BenchSettings consumer = unchosen.withGroupProtocol("consumer");

        assertThat(unchosen.heading("B9: a case")).isEqualTo("B9: a case");
        assertThat(consumer.heading("B9: a case")).isEqualTo("B9: a case (group.protocol=consumer)");
        assertThat(consumer.command()).isEqualTo("mvn -B -pl benchmarks -am verify -Pbench -Dbench.case=b9 -Dbench.records=10 "
                + "-Dbench.runs=2 -Dbench.groupProtocol=consumer");
        assertThat(unchosen.withGroupProtocol("classic").heading("B9")).isEqualTo("B9 (group.protocol=classic)");
        assertThatIllegalArgumentException().isThrownBy(() -> unchosen.withGroupProtocol("share"));
    }

    @Test
    void theGroupProtocolPropertyReachesTheSettingsAndEveryDrainsConsumerProperties() {
        System.setProperty(DrainProperties.GROUP_PROTOCOL, "Consumer");
        try {
            assertThat(defaults.fromSystemProperties().groupProtocol()).isEqualTo("consumer");
            assertThat(DrainProperties.forRun("localhost:9092", "raw", 1)).containsEntry("group.protocol", "consumer");
        } finally {
            System.clearProperty(DrainProperties.GROUP_PROTOCOL);
        }
        assertThat(defaults.fromSystemProperties().groupProtocol()).isNull();
        assertThat(DrainProperties.forRun("localhost:9092", "raw", 1)).doesNotContainKey("group.protocol");
    }

    @Test
    void bothProtocolsAreForTheCasesThatAlternateThemAndEachDrainCanBeGivenOne() {
        System.setProperty(DrainProperties.GROUP_PROTOCOL, "classic, consumer");
        try {
            assertThat(DrainProperties.groupProtocols()).containsExactly("classic", "consumer");
            assertThat(defaults.fromSystemProperties().groupProtocol()).as("each protocol's result gets its own").isNull();
            assertThatIllegalArgumentException().isThrownBy(DrainProperties::groupProtocol)
                    .withMessage("bench.groupProtocol is classic,consumer; only b1 and b2 alternate group protocols, the other "
                            + "cases take one");
            assertThat(DrainProperties.forRun("localhost:9092", "raw", 1, "consumer")).containsEntry("group.protocol", "consumer");
            assertThat(DrainProperties.forRun("localhost:9092", "raw", 1, null)).doesNotContainKey("group.protocol");
        } finally {
            System.clearProperty(DrainProperties.GROUP_PROTOCOL);
        }
        System.setProperty(DrainProperties.GROUP_PROTOCOL, "consumer,consumer");
        try {
            assertThatIllegalArgumentException().isThrownBy(DrainProperties::groupProtocols);
        } finally {
            System.clearProperty(DrainProperties.GROUP_PROTOCOL);
        }
    }

    @Test
    void anUnknownGroupProtocolIsRefusedNamingTheProperty() {
        System.setProperty(DrainProperties.GROUP_PROTOCOL, "streams");
        try {
            assertThatIllegalArgumentException().isThrownBy(defaults::fromSystemProperties)
                    .withMessage("bench.groupProtocol is streams; use classic or consumer (or both, classic,consumer, for b1 and "
                            + "b2), or leave it unset for kafka-clients' default");
        } finally {
            System.clearProperty(DrainProperties.GROUP_PROTOCOL);
        }
    }

    @Test
    void anEmptyPropertyOrAnUnresolvedMavenPlaceholderMeansTheCasesDefault() {
        System.setProperty("bench.test.empty", " ");
        System.setProperty("bench.test.placeholder", "${bench.test.placeholder}");
        System.setProperty("bench.test.set", "7");
        try {
            assertThat(BenchSettings.property("bench.test.empty", "d")).isEqualTo("d");
            assertThat(BenchSettings.property("bench.test.placeholder", "d")).isEqualTo("d");
            assertThat(BenchSettings.property("bench.test.unset", "d")).isEqualTo("d");
            assertThat(BenchSettings.property("bench.test.set", "d")).isEqualTo("7");
        } finally {
            System.clearProperty("bench.test.empty");
            System.clearProperty("bench.test.placeholder");
            System.clearProperty("bench.test.set");
        }
    }
}

package dev.kafkaconsumer.benchmarks.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.report.HeadlineRatio;
import dev.kafkaconsumer.benchmarks.report.MachineDescription;

class ManyContainersTableTest {

    private final MachineDescription machine = new MachineDescription(2, "cpu", "1 GiB", "java", "os", List.of("-Xmx2g"),
            "4.3.1", Instant.EPOCH, "0.00 0.00 0.00");

    @Test
    void eachApplicationIsSetAgainstRawWithItsThreadsAndHeapPerConsumer() {
        Map<String, List<AppRun>> runs = new LinkedHashMap<>();
        runs.put("raw", List.of(run(1.0, 60, 50 * 1048576L, Map.of("raw-<topic>", 50L)),
                run(2.0, 60, 50 * 1048576L, Map.of("raw-<topic>", 50L))));
        runs.put("spring-50", List.of(run(2.0, 250, 100 * 1048576L, Map.of("kafka-consumer-io-<id>-N", 50L)),
                run(2.0, 250, 100 * 1048576L, Map.of("kafka-consumer-io-<id>-N", 50L, "main", 1L))));
        ManyContainersTable table = new ManyContainersTable(ManyContainersBenchmark.DEFAULTS.with(1_000, 2,
                List.of("raw", "spring-50")), machine, runs);

        assertThat(table.overRaw("spring-50")).containsExactly(new double[] {0.5, 1.0}, Offset.offset(1e-9));
        String markdown = table.report().toMarkdown();
        assertThat(markdown)
                // 50,000 records in 1 s and 2 s
                .contains("| a raw `KafkaConsumer` per topic, each on a platform thread of its own (`raw`) | 50 | 0.75 | 37,500 | — "
                        + "| 60 | 1.2 | 50.0 | 1.00 | ")
                .contains("| 50 `@RecordHandler` methods in one Spring Boot application (`spring-50`) | 50 | 1.00 | 25,000 "
                        + "| **0.750** (0.500–1.000) | 250 | 5.0 | 100.0 | 2.00 | ")
                .contains("| `kafka-consumer-io-<id>-N` | 0 | 50 |")
                .contains("| `raw-<topic>` | 50 | 0 |")
                .contains("| all | 50 | 51 |")
                .contains("-Dbench.case=b8 -Dbench.records=1000 -Dbench.runs=2 -Dbench.contenders=raw,spring-50\n");
        assertThat(table.report().headlines()).extracting(HeadlineRatio::name, h -> Math.round(h.value() * 1000),
                HeadlineRatio::targetText).containsExactly(tuple("spring-50 / raw total throughput, 50 topics", 750L, "—"));
    }

    @Test
    void theTopicsAreSplitEvenlyAmongTheHandlers() {
        assertThat(ManyContainersBenchmark.pattern(0, 1)).startsWith("(b8-00|b8-01|").endsWith("|b8-49)");
        assertThat(ManyContainersBenchmark.pattern(1, 10)).isEqualTo("(b8-05|b8-06|b8-07|b8-08|b8-09)");
        assertThat(ManyContainersBenchmark.pattern(49, 50)).isEqualTo("(b8-49)");
    }

    @Test
    void aContenderIsReadFromItsName() {
        assertThat(AppContender.of("spring-10-virtual")).isEqualTo(new AppContender("spring-10-virtual", 10, true));
        assertThat(AppContender.of("spring-50").handlerClass()).isEqualTo(FiftyHandlers.class);
        assertThat(AppContender.of("raw").consumers(50)).isEqualTo(50);
        assertThatThrownBy(() -> AppContender.of("spring-7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadNamesOfOneKindAcrossContainersAndTopicsCountAsOne() {
        assertThat(ThreadCensus.kind("kafka-consumer-io-h07-1")).isEqualTo("kafka-consumer-io-<id>-N");
        assertThat(ThreadCensus.kind("raw-b8-12")).isEqualTo("raw-<topic>");
        assertThat(ThreadCensus.kind("kafka-coordinator-heartbeat-thread | b8-spring-50-1-18a2f3c4d5-7"))
                .isEqualTo("kafka-coordinator-heartbeat-thread | <group>");
    }

    private static AppRun run(double seconds, int threads, long heap, Map<String, Long> kinds) {
        return new AppRun(50_000, (long) (seconds * 0.5e9), (long) (seconds * 1e9), threads, heap, seconds, kinds);
    }
}

package dev.kafkaconsumer.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.test.KafkaBroker;

class EngineDemoTest {

    @Test
    void theDemoConsumesEveryRecordItProducedAndEndsWithNoLag() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (KafkaBroker kafka = KafkaBroker.builder().start();
                PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            assertThat(EngineDemo.run(kafka, 900, out)).isEqualTo(900);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("Consumed 900 of 900 records").contains("joined group engine-demo");
        // at the end every partition is committed up to its high-water mark: 300 records each, lag 0
        assertThat(output.lines().filter(line -> line.matches("demo-orders-\\d\\s+300\\s+300\\s+300\\s+0"))).hasSize(3);
    }
}

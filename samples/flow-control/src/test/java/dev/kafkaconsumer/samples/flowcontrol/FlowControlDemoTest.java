package dev.kafkaconsumer.samples.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kafkaconsumer.test.KafkaBroker;
import dev.kafkaconsumer.test.KafkaBrokerExtension;

@ExtendWith(KafkaBrokerExtension.class)
class FlowControlDemoTest {

    @Test
    void theDemoPrintsATableEverySecondUntilTheBackloggedPartitionHasCaughtUp(KafkaBroker kafka) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int caughtUpAfter;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            caughtUpAfter = FlowControlDemo.run(kafka, 3_000, out);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(caughtUpAfter).isPositive();
        assertThat(output).contains("flow-orders-0 caught up after " + caughtUpAfter + " s");
        // the last table: partition 0 has nothing left, position equal to its high-water mark
        assertThat(output.lines().filter(line -> line.matches("\\s*\\d*s?\\s+flow-orders-0\\s+3000\\s+3000\\s+0\\s+\\d+\\s+\\d+ ms")))
                .isNotEmpty();
    }
}

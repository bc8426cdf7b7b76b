package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.core.ConsumerStoppedException;

class CommandQueueTest {

    private final AtomicInteger wakeups = new AtomicInteger();
    private final CommandQueue queue = new CommandQueue(wakeups::incrementAndGet);
    private final ManualTime time = ManualTime.waiting();
    private final List<String> ran = new ArrayList<>();
    private final IoContext io = context();

    private IoContext context() {
        EngineConfig config = new EngineConfig(java.util.Map.of("bootstrap.servers", "h:1"), new StringDeserializer(),
                new StringDeserializer(), 1, 1);
        return new IoContext(new MockConsumer<String, String>("earliest"), null, null, null, null, config, time);
    }

    private IoCommand<String> command(String name) {
        return new IoCommand<>(name, Deadline.after(time, Duration.ofSeconds(30), "test")) {
            @Override
            String execute(IoContext context, Duration timeout) {
                ran.add(name);
                return name;
            }
        };
    }

    @Test
    void aSubmittedCommandWakesTheIoThreadAndAQueuedOneLeavesThatToItsCaller() {
        IoCommand<String> submitted = command("a");
        assertThat(queue.submit(submitted)).isSameAs(submitted);
        assertThat(wakeups).hasValue(1);
        IoCommand<String> queued = command("b");
        assertThat(queue.enqueue(queued)).isSameAs(queued);
        assertThat(wakeups).hasValue(1);
        assertThat(queue.size()).isEqualTo(2);
        queue.runAll(io);
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void theWaitBetweenTwoTurnsRunsTheCommandThatEndsItAndAStopEndsItWithoutOne() throws Exception {
        queue.submit(command("a"));
        queue.awaitAndRun(TimeUnit.SECONDS.toNanos(30), io);
        assertThat(ran).containsExactly("a");

        queue.wakeWaiter();
        queue.awaitAndRun(TimeUnit.SECONDS.toNanos(30), io);
        assertThat(ran).containsExactly("a");
        queue.awaitAndRun(0, io);
        assertThat(queue.size()).isZero();
    }

    @Test
    void onceClosedWaitingCommandsFailAndNewOnesAreRefused() {
        IoCommand<String> waiting = queue.submit(command("a"));
        queue.wakeWaiter();
        queue.close();
        assertThat(waiting.result()).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(ConsumerStoppedException.class).withMessage("The consumer engine is stopped");
        IoCommand<String> late = queue.submit(command("b"));
        assertThat(late.result()).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(ConsumerStoppedException.class);
        assertThat(late.notRun()).isTrue();
        queue.runAll(io);
        assertThat(ran).isEmpty();
        assertThat(queue.size()).isZero();
    }
}

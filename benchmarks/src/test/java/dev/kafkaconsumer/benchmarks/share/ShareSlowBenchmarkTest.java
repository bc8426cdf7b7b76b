package dev.kafkaconsumer.benchmarks.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kafkaconsumer.benchmarks.harness.ContainerDrain;
import dev.kafkaconsumer.benchmarks.share.ShareSlowBenchmark.Cell;

class ShareSlowBenchmarkTest {

    private static final List<String> ALL = List.of("share", "share-x3", "key", "spring");

    @Test
    void theConcurrenciesAreAListOfPositiveNumbersThatThreeContainersCanSplit() {
        assertThat(ShareSlowBenchmark.concurrencies("6, 24", ALL)).containsExactly(6, 24);
        assertThat(ShareSlowBenchmark.concurrencies("4", List.of("share", "spring"))).containsExactly(4);
        assertThatIllegalArgumentException().isThrownBy(() -> ShareSlowBenchmark.concurrencies("4", ALL))
                .withMessage("bench.concurrency is [4]; each must be positive and a multiple of 3 (share-x3 splits it among 3 "
                        + "containers)");
        assertThatIllegalArgumentException().isThrownBy(() -> ShareSlowBenchmark.concurrencies("0", List.of("share")));
        assertThatIllegalArgumentException().isThrownBy(() -> ShareSlowBenchmark.concurrencies("six", ALL))
                .withMessageContaining("bench.concurrency is six");
    }

    @Test
    void everyContenderHandlesAtMostTheCellsConcurrencyAtOnce() {
        ShareContainerDrain share = (ShareContainerDrain) ShareSlowBenchmark.drain(new Cell("share", 24));
        ShareContainerDrain x3 = (ShareContainerDrain) ShareSlowBenchmark.drain(new Cell("share-x3", 24));
        SpringShareDrain spring = (SpringShareDrain) ShareSlowBenchmark.drain(new Cell("spring", 24));

        assertThat(share.containers() * share.concurrency()).isEqualTo(24);
        assertThat(x3.containers()).isEqualTo(3);
        assertThat(x3.concurrency()).isEqualTo(8);
        assertThat(spring.concurrency()).isEqualTo(24);
        assertThat(spring.overrides()).isEmpty();
        assertThat(((SpringShareDrain) ShareSlowBenchmark.drain(new Cell("spring-small-polls", 6))).overrides())
                .containsEntry("share.acquire.mode", "record_limit").containsEntry("max.poll.records", 10);
        assertThat(ShareSlowBenchmark.DEFAULTS.contenders()).as("run unless named").doesNotContain("spring-small-polls");
        assertThat(ShareSlowBenchmark.drain(new Cell("key", 24))).isInstanceOf(ContainerDrain.class);
        assertThat(new Cell("key", 6).keyOrdered()).isTrue();
        assertThat(new Cell("share", 6).keyOrdered()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> ShareSlowBenchmark.drain(new Cell("pc", 6)));
    }
}

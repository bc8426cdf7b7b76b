package dev.kafkaconsumer.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.kafkaconsumer.benchmarks.apps.ManyContainersBenchmark;
import dev.kafkaconsumer.benchmarks.blocking.BlockingHandlerBenchmark;
import dev.kafkaconsumer.benchmarks.drain.DrainBenchmark;
import dev.kafkaconsumer.benchmarks.jmh.JmhBenchmarks;
import dev.kafkaconsumer.benchmarks.latency.LatencyBenchmark;
import dev.kafkaconsumer.benchmarks.memory.MemoryBenchmark;
import dev.kafkaconsumer.benchmarks.rebalance.RebalanceBenchmark;
import dev.kafkaconsumer.benchmarks.scale.ScaleBenchmark;
import dev.kafkaconsumer.benchmarks.share.ShareDrainBenchmark;
import dev.kafkaconsumer.benchmarks.share.ShareSlowBenchmark;
import dev.kafkaconsumer.benchmarks.slow.SlowHandlerBenchmark;
import dev.kafkaconsumer.benchmarks.transactions.TransactionalBenchmark;

/**
 * The cases of the suite, in the order {@code -Dbench.case=all} runs them, each with the main method
 * that runs it in the current JVM (each case lives in a package of its own, which depends only on
 * {@code harness} and {@code report}). A new case is one more constant here; it then runs in {@code all}
 * and by name, and it joins the summary once its {@code CaseReport} has headline numbers.
 */
enum BenchCase {

    /** Drain, batch API: engine vs raw. */
    B1("b1", DrainBenchmark::main),
    /** Drain, one record per handler call: container vs Spring Kafka vs raw. */
    B2("b2", DrainBenchmark::main),
    /** B1 under the classic and the consumer group protocol, alternated in one run, each against raw under the same protocol. */
    B1_PROTOCOLS("b1-protocols", DrainBenchmark::main),
    /** B2 under both group protocols, alternated in one run. */
    B2_PROTOCOLS("b2-protocols", DrainBenchmark::main),
    /** B1 through the broker's TLS listener (a self-signed certificate the harness makes), plaintext alternated in one run. */
    B1_TLS("b1-tls", DrainBenchmark::main),
    /** Slow handler (0–5 ms per record): container vs Spring Kafka vs Parallel Consumer. */
    B3("b3", SlowHandlerBenchmark::main),
    /** End-to-end latency at 5,000 records/s: container vs raw. */
    B4("b4", LatencyBenchmark::main),
    /** End-to-end latency at 50,000 records/s: container vs raw. */
    B4_50K("b4-50k", LatencyBenchmark::main),
    /** End-to-end latency at 5,000 records/s under both group protocols, alternated in one run. */
    B4_PROTOCOLS("b4-protocols", LatencyBenchmark::main),
    /** Memory of the consumer JVM while a backlog grows. */
    B5("b5", MemoryBenchmark::main),
    /** A second member joins: recovery time and processing gaps per group protocol. */
    B6("b6", RebalanceBenchmark::main),
    /** 1,000 partitions and 10,000 keys, KEY ordering: container vs raw, heap per assigned partition, fairness. */
    B7("b7", ScaleBenchmark::main),
    /** 1, 10 and 50 @RecordHandler methods in one Spring Boot application on 50 topics vs. a raw consumer per topic. */
    B8("b8", ManyContainersBenchmark::main),
    /** Drain through a share group, one record per handler call: share container vs raw share consumer vs Spring Kafka. */
    B9("b9", ShareDrainBenchmark::main),
    /** Slow handler on one partition: share containers vs the key-ordered container vs Spring Kafka's share container. */
    B9_SLOW("b9-slow", ShareSlowBenchmark::main),
    /** Decoding that costs CPU, one record per handler call: container vs Spring Kafka (both at concurrency 6) vs raw. */
    B10("b10", DrainBenchmark::main),
    /** Transactional consume-transform-produce: transactional container vs Spring Kafka's transactional listener container. */
    B11("b11", TransactionalBenchmark::main),
    /** The same with a slow handler (0–5 ms per record, 100 keys). */
    B11_SLOW("b11-slow", TransactionalBenchmark::main),
    /** Blocking handlers (20 ms each): the container on platform threads at concurrency 100 vs. virtual threads at 1,000 and 10,000. */
    B12("b12", BlockingHandlerBenchmark::main),
    /** The JMH micro-benchmarks of {@code dev.kafkaconsumer.benchmarks.jmh}, with {@code -prof gc}. */
    JMH("jmh", JmhBenchmarks::main);

    private final String id;
    private final Consumer<String[]> main;

    BenchCase(String id, Consumer<String[]> main) {
        this.id = id;
        this.main = main;
    }

    /** The name {@code bench.case} uses, e.g. {@code b1}. */
    String id() {
        return id;
    }

    /** Runs the case in this JVM; {@code bench.case} must already name it ({@link DrainBenchmark} reads it to tell b1, b2, b10, b1-tls and
     * the protocol cases apart, {@link LatencyBenchmark} b4 from b4-50k and b4-protocols,
     * {@link TransactionalBenchmark} b11 from b11-slow). */
    void run() {
        main.accept(new String[0]);
    }

    /**
     * @param id a case name, in any case
     * @return the case
     * @throws IllegalArgumentException listing the known names
     */
    static BenchCase named(String id) {
        for (BenchCase benchCase : values()) {
            if (benchCase.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return benchCase;
            }
        }
        throw new IllegalArgumentException("bench.case " + id + " is unknown; use all, or one or more of "
                + Arrays.stream(values()).map(BenchCase::id).collect(Collectors.joining(",")));
    }
}

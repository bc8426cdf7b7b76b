/**
 * The public API of kafka-consumer's core: {@link dev.kafkaconsumer.core.ConsumerEngine}, the consumer model of
 * aiokafka for Java (any thread may call it; one background I/O thread owns the {@code KafkaConsumer}), and
 * {@link dev.kafkaconsumer.core.ConsumerContainer}, which runs handlers on it with concurrency beyond the partition
 * count and commits only what they finished. Side by side with them, for share groups (Kafka's queues),
 * {@link dev.kafkaconsumer.core.ShareConsumerEngine} reads a share group the same way (any thread takes
 * {@link dev.kafkaconsumer.core.AcquiredRecord}s and acknowledges them one by one, while one I/O thread owns the
 * {@code KafkaShareConsumer}), and {@link dev.kafkaconsumer.core.ShareConsumerContainer} runs handlers on it,
 * acknowledging each record to its group instead of committing offsets. Everything else here is what those take or
 * return: handler and listener interfaces, retry and recovery, immutable snapshots, states and exceptions.
 *
 * <p>No signature here exposes a type of {@code dev.kafkaconsumer.core.internal}, and nothing in this module imports
 * Spring ({@code ArchitectureTest} enforces both). The project's {@code docs/architecture.md} shows how the parts fit
 * and how a record flows from the fetch to the commit.
 *
 * <h2>Threads</h2>
 * <table>
 * <caption>The threads that the core starts, and what each may do</caption>
 * <tr><th>Thread</th><th>Started by</th><th>Owns</th><th>May call</th></tr>
 * <tr><td>{@code kafka-consumer-io-<client.id>}</td><td>{@code ConsumerEngine.start}</td>
 * <td>the {@code KafkaConsumer}, alone; the command queue's consumer side</td>
 * <td>the consumer; the record buffers (their lock); rebalance listeners, inline (a listener's calls back into the
 * engine run inline too)</td></tr>
 * <tr><td>{@code kafka-consumer-share-io-<client.id>}</td><td>{@code ShareConsumerEngine.start}</td>
 * <td>the {@code KafkaShareConsumer}, alone; the command queue's consumer side; each held record's state as the
 * consumer sees it</td>
 * <td>the consumer (its acknowledgement commit callback runs here, inside poll and commits); the ready records' lock;
 * a record's monitor (to expire or release it); never a listener or a dependent stage</td></tr>
 * <tr><td>{@code kafka-consumer-callbacks-<client.id>}</td><td>the engine, the share engine</td>
 * <td>nothing</td><td>completes asynchronous gets, commits and acknowledgements, and calls the
 * {@code ShareEngineListener}, so that stages never run on an I/O thread</td></tr>
 * <tr><td>{@code kafka-consumer-dispatch-<container>}</td><td>{@code ConsumerContainer.start},
 * {@code ShareConsumerContainer.start}</td>
 * <td>the take loop; the container's engine start (a share container's workers take records themselves: its
 * dispatcher only takes every 100 ms as a safety net)</td>
 * <td>the engine's gets (without a lock); the pipeline; the dispatch lock</td></tr>
 * <tr><td>{@code kafka-consumer-worker-<container>-<n>} (or virtual threads)</td><td>the container</td>
 * <td>one unit of work at a time</td><td>handlers, interceptors, the recoverer; a work's progress; a share
 * container's takes from its engine</td></tr>
 * <tr><td>{@code kafka-consumer-timer-<container>}</td><td>the container</td>
 * <td>commits by time, retry back-offs</td><td>the committer (an engine commit), resuming suspended works</td></tr>
 * <tr><td>{@code kafka-consumer-watchdog-<container>}</td><td>the container, with a processing timeout</td>
 * <td>the deadlines of running handler calls</td><td>interrupts the worker of a call that overruns</td></tr>
 * <tr><td>{@code kafka-consumer-stop-<container>}</td><td>a failed container</td>
 * <td>the stop of a failed container</td><td>waits for running work, makes the final commit, stops the engine</td></tr>
 * </table>
 * The dispatcher, the timer and the stopper are not daemons: while a container runs, it keeps its JVM alive.
 * Application threads call the public API; a call never runs a handler on them.
 */
package dev.kafkaconsumer.core;

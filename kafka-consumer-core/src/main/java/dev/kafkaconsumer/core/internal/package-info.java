/**
 * The engine behind {@code ConsumerEngine}: one I/O thread that owns the {@code KafkaConsumer}, fed by a queue of
 * typed commands with deadlines, and bounded per-partition buffers that application threads take from directly.
 *
 * <h2>Parts</h2>
 * <ul>
 * <li>{@link dev.kafkaconsumer.core.internal.EngineCore}: wires the parts, owns the engine's lifecycle and
 * subscription, and turns each operation that needs the consumer into an
 * {@link dev.kafkaconsumer.core.internal.IoCommand} ({@code OffsetCommands}, {@code SeekCommands},
 * {@code LookupCommands}, {@code SubscriptionCommands}); {@link dev.kafkaconsumer.core.internal.RecordAccess} does
 * what needs only the buffers, on the caller's thread.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.IoLoop}: the I/O thread. Each turn runs the queued commands
 * ({@link dev.kafkaconsumer.core.internal.CommandQueue}), polls ({@link dev.kafkaconsumer.core.internal.PollStep}),
 * commits by time ({@link dev.kafkaconsumer.core.internal.OffsetCommits}) and keeps a group-less assignment fresh
 * ({@link dev.kafkaconsumer.core.internal.Assignments}); its errors reach the application through the
 * {@link dev.kafkaconsumer.core.internal.ErrorChannel}. It creates the
 * {@link dev.kafkaconsumer.core.internal.RebalanceBridge}, the consumer's rebalance listener.</li>
 * <li>{@link dev.kafkaconsumer.core.internal.RecordBuffers}: a facade over the buffered records and their
 * bookkeeping, each part with one owner: {@link dev.kafkaconsumer.core.internal.AssignedPartitions} (a
 * {@link dev.kafkaconsumer.core.internal.PartitionBuffer} per partition), {@link dev.kafkaconsumer.core.internal.ReadyQueue}
 * (round-robin order), {@link dev.kafkaconsumer.core.internal.ByteBudget} (bounds),
 * {@link dev.kafkaconsumer.core.internal.FetchPlan} (which partitions not to fetch: a pure function),
 * {@link dev.kafkaconsumer.core.internal.Demand}, {@link dev.kafkaconsumer.core.internal.PendingError},
 * {@link dev.kafkaconsumer.core.internal.IdleClock}; {@link dev.kafkaconsumer.core.internal.PendingGets} serves
 * asynchronous gets.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * <table>
 * <caption>Who runs what in the engine</caption>
 * <tr><th>Thread</th><th>Runs</th></tr>
 * <tr><td>caller threads (any)</td><td>{@code EngineCore} and {@code RecordAccess}: submit commands and wait for
 * them within their deadlines; take records from the buffers; serve pending gets after registering one</td></tr>
 * <tr><td>{@code kafka-consumer-io-<client.id>}</td><td>{@code IoLoop}, {@code PollStep}, {@code OffsetCommits},
 * {@code Assignments}, {@code RebalanceBridge}, every {@code IoCommand}'s body: the only thread that touches the
 * consumer</td></tr>
 * <tr><td>{@code kafka-consumer-callbacks-<client.id>}</td><td>completion of asynchronous gets and commits; expiry of
 * timed asynchronous gets</td></tr>
 * </table>
 *
 * <h2>Lock order</h2>
 * {@code EngineCore}'s lock (state and subscription; commands are queued under it, never awaited) comes before the
 * lock of {@code RecordBuffers}, and so does {@code PendingGets}' monitor; the buffers' lock is innermost: nothing
 * that takes another lock runs under it, and the consumer's {@code wakeup} is called after it is released. A command's own monitor only
 * guards its hand-over between its caller and the I/O thread. No lock is held across a consumer call that may block.
 *
 * <p>Time comes from one {@code org.apache.kafka.common.utils.Time}, so tests drive the loop with a clock they move.
 */
package dev.kafkaconsumer.core.internal;

package dev.kafkaconsumer.samples.offsets;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The results (a count per record key) and the consumed offsets, in one database, written in one
 * transaction per batch with plain JDBC. A connection per call: the rebalance listener reads from the
 * engine's I/O thread while the application thread writes, and JDBC connections are not for sharing.
 *
 * <p>The offset update is a compare-and-set on the offset this consumer last read or wrote: if another
 * consumer of the group moved it in between (after a rebalance this one has not seen yet), the whole
 * batch is rolled back instead of being counted twice.
 */
public final class OffsetStore {

    private final String url;
    private final String user;
    private final String password;

    /**
     * @param url      the JDBC URL
     * @param user     the user, or {@code null}
     * @param password the password, or {@code null}
     */
    public OffsetStore(String url, String user, String password) {
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        this.password = password;
    }

    /**
     * Creates the two tables unless they exist.
     *
     * @throws SQLException if the database refuses
     */
    public void createTables() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS key_counts (topic VARCHAR(249) NOT NULL, record_key VARCHAR(255) NOT NULL,"
                    + " record_count BIGINT NOT NULL, PRIMARY KEY (topic, record_key))");
            statement.execute("CREATE TABLE IF NOT EXISTS partition_offsets (topic VARCHAR(249) NOT NULL, partition_id INT NOT NULL,"
                    + " next_offset BIGINT NOT NULL, PRIMARY KEY (topic, partition_id))");
        }
    }

    /**
     * Reads the stored offsets of partitions.
     *
     * @param partitions the partitions
     * @return the next offset to consume, for the partitions that have one stored
     * @throws SQLException if the database refuses
     */
    public Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT next_offset FROM partition_offsets WHERE topic = ? AND partition_id = ?")) {
            for (TopicPartition partition : partitions) {
                select.setString(1, partition.topic());
                select.setInt(2, partition.partition());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        offsets.put(partition, row.getLong(1));
                    }
                }
            }
        }
        return offsets;
    }

    /**
     * Counts a batch and stores the offset after its last record of each partition, in one transaction.
     *
     * @param batch    records by partition, as {@code getMany} returned them
     * @param expected the offset that each partition of the batch has stored now, as this consumer
     *                 knows it; a partition missing here has none stored yet
     * @return the offsets stored
     * @throws StaleOffsetException if a stored offset is not the one expected; nothing was written
     * @throws SQLException         if the database refuses; nothing was written
     */
    public Map<TopicPartition, Long> write(Map<TopicPartition, List<ConsumerRecord<String, String>>> batch,
            Map<TopicPartition, Long> expected) throws SQLException {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        batch.forEach((partition, records) -> {
            for (ConsumerRecord<String, String> record : records) {
                counts.computeIfAbsent(partition.topic(), topic -> new TreeMap<>())
                        .merge(String.valueOf(record.key()), 1L, Long::sum);
            }
            if (!records.isEmpty()) {
                next.put(partition, records.get(records.size() - 1).offset() + 1);
            }
        });
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                writeOffsets(connection, next, expected);
                writeCounts(connection, counts);
                connection.commit();
                return next;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void writeOffsets(Connection connection, Map<TopicPartition, Long> next, Map<TopicPartition, Long> expected)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE partition_offsets SET next_offset = ? WHERE topic = ? AND partition_id = ? AND next_offset = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO partition_offsets (topic, partition_id, next_offset) VALUES (?, ?, ?)")) {
            for (Map.Entry<TopicPartition, Long> entry : next.entrySet()) {
                TopicPartition partition = entry.getKey();
                Long stored = expected.get(partition);
                if (stored == null) {
                    insert.setString(1, partition.topic());
                    insert.setInt(2, partition.partition());
                    insert.setLong(3, entry.getValue());
                    try {
                        insert.executeUpdate();
                    } catch (SQLException e) {
                        // a primary-key violation: another consumer stored an offset first
                        throw new StaleOffsetException(partition, null, e);
                    }
                } else {
                    update.setLong(1, entry.getValue());
                    update.setString(2, partition.topic());
                    update.setInt(3, partition.partition());
                    update.setLong(4, stored);
                    if (update.executeUpdate() != 1) {
                        throw new StaleOffsetException(partition, stored, null);
                    }
                }
            }
        }
    }

    private static void writeCounts(Connection connection, Map<String, Map<String, Long>> counts) throws SQLException {
        // UPDATE, then INSERT where there was nothing to update: portable, unlike MERGE and ON CONFLICT
        try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE key_counts SET record_count = record_count + ? WHERE topic = ? AND record_key = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO key_counts (topic, record_key, record_count) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, Map<String, Long>> topic : counts.entrySet()) {
                for (Map.Entry<String, Long> key : topic.getValue().entrySet()) {
                    update.setLong(1, key.getValue());
                    update.setString(2, topic.getKey());
                    update.setString(3, key.getKey());
                    if (update.executeUpdate() == 0) {
                        insert.setString(1, topic.getKey());
                        insert.setString(2, key.getKey());
                        insert.setLong(3, key.getValue());
                        insert.executeUpdate();
                    }
                }
            }
        }
    }

    /**
     * Reads the counts of a topic.
     *
     * @param topic the topic
     * @return the count of each key, sorted by key
     * @throws SQLException if the database refuses
     */
    public Map<String, Long> counts(String topic) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT record_key, record_count FROM key_counts WHERE topic = ?")) {
            select.setString(1, topic);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }

    private Connection connect() throws SQLException {
        return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
    }

    /** A stored offset was not the one this consumer expected: another consumer moved it. */
    public static final class StaleOffsetException extends SQLException {

        private static final long serialVersionUID = 1L;

        StaleOffsetException(TopicPartition partition, Long expected, Throwable cause) {
            super("The stored offset of " + partition + " is no longer " + (expected == null ? "absent" : expected)
                    + ": another consumer wrote it; the batch was rolled back and the position is reloaded", cause);
        }
    }
}

package dev.kafkaconsumer.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Session timeouts of a group under either protocol: the classic protocol takes them from the consumer,
 * the consumer protocol from the broker's group configuration; and the configuration of a share group.
 */
final class Groups {

    private Groups() {
    }

    /**
     * Gives a group a session timeout (and a heartbeat a quarter of it).
     *
     * @param admin    an admin client of the cluster
     * @param group    the group id
     * @param protocol {@code classic} or {@code consumer}
     * @param session  the session timeout
     * @return the consumer properties the members need, as {@code -Dkafka.*} options of a
     *         {@link LoggingConsumer} JVM (none under the consumer protocol)
     */
    static List<String> sessionTimeout(Admin admin, String group, String protocol, Duration session)
            throws InterruptedException, ExecutionException {
        String heartbeat = String.valueOf(session.toMillis() / 4);
        if (protocol.equals("classic")) {
            return List.of("-Dkafka.session.timeout.ms=" + session.toMillis(), "-Dkafka.heartbeat.interval.ms=" + heartbeat);
        }
        List<AlterConfigOp> settings = List.of(
                new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", String.valueOf(session.toMillis())),
                        AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", heartbeat), AlterConfigOp.OpType.SET));
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), settings)).all().get();
        return List.of();
    }

    /**
     * Configures a share group (before or after it exists): it reads from the earliest offset
     * ({@code share.auto.offset.reset}, latest by default) and a record's acquisition lock lasts {@code lock}
     * ({@code share.record.lock.duration.ms}; the test broker allows it down to 1 s).
     *
     * @param admin an admin client of the cluster
     * @param group the share group
     * @param lock  how long a consumer holds a record it acquired before the broker takes it back
     */
    static void shareGroup(Admin admin, String group, Duration lock) throws InterruptedException, ExecutionException {
        List<AlterConfigOp> settings = List.of(
                new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", String.valueOf(lock.toMillis())),
                        AlterConfigOp.OpType.SET));
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), settings)).all().get();
    }
}

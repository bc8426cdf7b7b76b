package dev.kafkaconsumer.spring.actuate.autoconfigure;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.kafkaconsumer.spring.actuate.lag.LagStatus;

/**
 * Configuration of the {@code kafkaConsumers} health contributor, under {@code kafka.consumer.health}.
 */
@ConfigurationProperties("kafka.consumer.health")
public class KafkaConsumerHealthProperties {

    /**
     * Lag statuses that make a running container DOWN, for example stall,stop. A failed container is DOWN
     * whatever this says.
     */
    private Set<LagStatus> downOnLagStatus = EnumSet.noneOf(LagStatus.class);

    public Set<LagStatus> getDownOnLagStatus() {
        return this.downOnLagStatus;
    }

    public void setDownOnLagStatus(Set<LagStatus> downOnLagStatus) {
        this.downOnLagStatus = downOnLagStatus;
    }

}

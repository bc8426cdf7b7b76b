package dev.kafkaconsumer.spring.actuate.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the lag tracking behind the {@code kafkalag} endpoint, the health and the lag meters,
 * under {@code kafka.consumer.lag}.
 */
@ConfigurationProperties("kafka.consumer.lag")
public class KafkaConsumerLagProperties {

    /**
     * Whether the lag of every container is sampled.
     */
    private boolean enabled = true;

    /**
     * Time between two samples of every container's offsets. Samples of consumer-group containers are local (no
     * request to the broker); a share group's offsets and lag are known to the broker alone, which is asked for those
     * of the running share containers' groups, in one request.
     */
    private Duration sampleInterval = Duration.ofSeconds(5);

    /**
     * Samples kept per partition: the window over which the lag status is judged.
     */
    private int window = 10;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getSampleInterval() {
        return this.sampleInterval;
    }

    public void setSampleInterval(Duration sampleInterval) {
        this.sampleInterval = sampleInterval;
    }

    public int getWindow() {
        return this.window;
    }

    public void setWindow(int window) {
        this.window = window;
    }

}

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

    /**
     * Sets the time between two samples.
     *
     * @param sampleInterval a positive duration
     * @throws IllegalArgumentException for a duration that is not positive, which the binder reports with the
     *                                  property's name
     */
    public void setSampleInterval(Duration sampleInterval) {
        if (sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("must be a positive duration, was " + sampleInterval);
        }
        this.sampleInterval = sampleInterval;
    }

    public int getWindow() {
        return this.window;
    }

    /**
     * Sets the samples kept per partition.
     *
     * @param window 2 or more
     * @throws IllegalArgumentException for fewer than 2, which the binder reports with the property's name
     */
    public void setWindow(int window) {
        if (window < 2) {
            throw new IllegalArgumentException("must be at least 2 (the lag status compares samples), was " + window
                    + "; set kafka.consumer.lag.window to 2 or more");
        }
        this.window = window;
    }

}

package dev.kafkaconsumer.spring.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The shutdown phase a container bean stops in, as far as its budget goes. Spring's lifecycle processor gives each
 * phase {@value #TIMEOUT_PROPERTY} (30 s by default); when that runs out it moves on with the beans of the phase still
 * stopping, and a JVM ended by SIGTERM exits once the context is closed, whatever they were doing. A container's stop
 * lets the records being handled finish within its {@code shutdown-timeout} and only then makes its final commit and
 * leaves its group, which takes up to {@link #FINAL_COMMIT_RESERVE} more. So that the final commit is never the part
 * cut off (every record handled since the last periodic commit would be read again), the stop the phase asks for
 * gives the records in flight only what is left of the phase after that reserve.
 */
final class ShutdownPhase {

    /** The property that Spring Boot's lifecycle processor takes its timeout from. */
    static final String TIMEOUT_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

    /** Spring Boot's default for {@value #TIMEOUT_PROPERTY}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What a stop needs after its drain: the core gives the final commit at least a second, and closing the consumer
     * (leaving the group) at least another; one more for the rest of the stop on a loaded machine.
     */
    static final Duration FINAL_COMMIT_RESERVE = Duration.ofSeconds(3);

    private final Duration timeout;

    ShutdownPhase(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Returns the phase as the environment configures Spring Boot's lifecycle processor.
     *
     * @param environment the environment
     * @return the phase
     */
    static ShutdownPhase of(Environment environment) {
        return new ShutdownPhase(Binder.get(environment).bind(TIMEOUT_PROPERTY, Duration.class).orElse(DEFAULT_TIMEOUT));
    }

    /**
     * Returns the phase's timeout.
     *
     * @return the timeout
     */
    Duration timeout() {
        return this.timeout;
    }

    /**
     * Returns how long the records in flight may take when the phase stops a container: its shutdown timeout, or
     * less where the phase would otherwise end before the final commit; never negative.
     *
     * @param shutdownTimeout the container's {@code shutdown-timeout}
     * @return the time the records being handled get
     */
    Duration drainTimeout(Duration shutdownTimeout) {
        Duration left = this.timeout.minus(FINAL_COMMIT_RESERVE);
        return left.isNegative() ? Duration.ZERO : (left.compareTo(shutdownTimeout) < 0 ? left : shutdownTimeout);
    }

    /**
     * Returns whether the phase cuts a container's drain shorter than its shutdown timeout by more than the reserve
     * for the final commit: the phase was configured shorter than the shutdown timeout, worth a warning.
     *
     * @param shutdownTimeout the container's {@code shutdown-timeout}
     * @return true when the phase's timeout is below the shutdown timeout
     */
    boolean shorterThan(Duration shutdownTimeout) {
        return this.timeout.compareTo(shutdownTimeout) < 0;
    }

}

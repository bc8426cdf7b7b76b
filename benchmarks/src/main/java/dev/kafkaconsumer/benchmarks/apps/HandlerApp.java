package dev.kafkaconsumer.benchmarks.apps;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * B8's Spring Boot application: auto-configuration only (our starter makes a container per {@code @RecordHandler}
 * method); the handler class of the run ({@link OneHandler}, {@link TenHandlers}, {@link FiftyHandlers}) is given as a
 * second source, so that one application class serves every configuration without component scanning.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class HandlerApp {
}

package dev.kafkaconsumer.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the consumer processes under test ({@link LoggingConsumer}, {@link ShareLoggingConsumer},
 * {@link TransformingConsumer}) take from their command line's system properties, read in one place so that the
 * processes agree on the convention: {@code -Dkafka.<property>} for the consumer, {@code -Dproducer.<property>} for
 * the transformer's producer.
 */
final class ProcessSettings {

    private ProcessSettings() {
    }

    /**
     * The system properties whose names start with a prefix, with the prefix taken off.
     *
     * @param prefix such as {@code "kafka."}
     * @return the client properties they name, in a new map
     */
    static Map<String, Object> withPrefix(String prefix) {
        Map<String, Object> properties = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(prefix))
                .forEach(name -> properties.put(name.substring(prefix.length()), System.getProperty(name)));
        return properties;
    }
}

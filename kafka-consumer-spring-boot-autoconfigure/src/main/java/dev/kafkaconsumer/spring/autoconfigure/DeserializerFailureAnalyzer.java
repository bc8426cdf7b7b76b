package dev.kafkaconsumer.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Explains a deserializer property naming a class that does not exist or is no {@code Deserializer}.
 * Ordered first, so that it speaks before Boot's general binding analyzer.
 */
class DeserializerFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final String ACTION = "Set %s to the fully qualified name of a class implementing "
            + "org.apache.kafka.common.serialization.Deserializer, on the application's class path, "
            + "for example org.apache.kafka.common.serialization.StringDeserializer.";

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidDeserializerException invalid) {
                return new FailureAnalysis(invalid.getMessage(), ACTION.formatted(invalid.getProperty()), invalid);
            }
            if (cause instanceof BindException bind && isDeserializer(bind) && hasClassNotFound(bind)) {
                String property = bind.getName().toString();
                Object value = (bind.getProperty() != null) ? bind.getProperty().getValue() : null;
                return new FailureAnalysis(property + " names class " + value + ", which cannot be found",
                        ACTION.formatted(property), bind);
            }
        }
        return null;
    }

    private static boolean isDeserializer(BindException bind) {
        String name = bind.getName().toString();
        return name.startsWith("kafka.consumer.") && name.endsWith("-deserializer");
    }

    private static boolean hasClassNotFound(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClassNotFoundException || cause instanceof NoClassDefFoundError) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}

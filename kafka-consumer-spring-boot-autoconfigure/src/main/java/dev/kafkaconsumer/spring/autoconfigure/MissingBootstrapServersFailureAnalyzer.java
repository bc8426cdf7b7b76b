package dev.kafkaconsumer.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link MissingBootstrapServersException}.
 */
class MissingBootstrapServersFailureAnalyzer extends AbstractFailureAnalyzer<MissingBootstrapServersException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingBootstrapServersException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set kafka.consumer.bootstrap-servers (or spring.kafka.bootstrap-servers) to the brokers' host:port "
                        + "pairs, for example kafka.consumer.bootstrap-servers=localhost:9092.",
                cause);
    }

}

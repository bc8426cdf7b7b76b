package dev.kafkaconsumer.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link RecordHandlerDefinitionException}: which method, and what is wrong with it.
 */
class RecordHandlerFailureAnalyzer extends AbstractFailureAnalyzer<RecordHandlerDefinitionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RecordHandlerDefinitionException cause) {
        if (cause.getAction() != null) {
            return new FailureAnalysis("The @RecordHandler method " + cause.getMethod() + " " + cause.getProblem() + ".",
                    cause.getAction(), cause);
        }
        return new FailureAnalysis("The @RecordHandler method " + cause.getMethod() + " " + cause.getProblem() + ".",
                "Fix the method. It takes the value, @Key, @Header(name) (byte[] or String), @Offset long, "
                        + "ConsumerRecord, Headers, TopicPartition and Acknowledgement parameters (with batch = true: "
                        + "List<ConsumerRecord<K, V>> or List<V>, TopicPartition and Acknowledgement; with a share "
                        + "group: ShareAcknowledgement and @DeliveryCount int instead of Acknowledgement, and no batch), "
                        + "and returns void or CompletionStage<?>.",
                cause);
    }

}

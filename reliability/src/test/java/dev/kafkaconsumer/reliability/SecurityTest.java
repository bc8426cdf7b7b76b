package dev.kafkaconsumer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * R10, the happy path: the container consumes as usual from a broker that demands SASL PLAIN,
 * SASL SCRAM-SHA-256 or TLS, the producer writing through the same listener. (The wrong password is
 * {@link WrongPasswordTest}, in the normal build.)
 */
@Tag(FullSuite.TAG)
@ExtendWith({SecuredBroker.Extension.class, Results.Extension.class})
class SecurityTest {

    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3_000;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"PLAIN, classic", "PLAIN, consumer", "SCRAM-SHA-256, classic", "SCRAM-SHA-256, consumer",
            "SSL, classic", "SSL, consumer"})
    void theContainerConsumesNormallyWithTheRightCredentials(String mechanism, String protocol, SecuredBroker broker,
            Results results) throws Exception {
        String topic = "r10-" + mechanism.toLowerCase().replace("-", "") + "-" + protocol + "-" + UUID.randomUUID().toString().substring(0, 8);
        broker.cluster().createTopic(topic, PARTITIONS);
        Map<String, Object> client = broker.client(mechanism, broker.password());
        long started = System.nanoTime();
        try (SequenceProducer producer = SequenceProducer.start(client, topic, PARTITIONS, 2_000);
                LoggingMember consumer = LoggingMember.start(broker.dir(), topic, client, topic, topic, protocol, Map.of())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> producer.acknowledgedCount() >= RECORDS);
            producer.stop();
            List<Long> acknowledged = producer.acknowledged();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Logs.allProcessed(List.of(consumer.log()), acknowledged));
            consumer.stop();
            CheckResult result = Checker.check(List.of(consumer.log()), acknowledged);
            results.record("R10 security, " + mechanism, protocol, result, String.format("%s; all consumed %.1f s after the start",
                    mechanism.equals("SSL") ? "TLS, self-signed certificate" : "SASL_PLAINTEXT " + mechanism,
                    (System.nanoTime() - started) / 1e9));
            assertThat(result.clean()).as("a clean run: %s", result).isTrue();
        }
    }
}

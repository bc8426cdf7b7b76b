package dev.kafkaconsumer.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaconsumer.test.BrokerCertificate;
import dev.kafkaconsumer.test.KafkaBroker;

class TlsListenerTest {

    @TempDir
    Path directory;

    @Test
    void aConsumerWithTheCertificatesClientPropertiesReadsThroughTheTlsListenerWhichRefusesAPlaintextClient() throws Exception {
        BrokerCertificate certificate = BrokerCertificate.create(directory);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        KafkaBroker.Builder builder = KafkaBroker.builder();
        BrokerProcess.withTlsListener(builder, certificate, port);
        try (KafkaBroker broker = builder.start()) {
            broker.createTopic("tls", 1);
            broker.send(new StringSerializer(), new StringSerializer(), List.of(new ProducerRecord<>("tls", "k", "v")));
            Map<String, Object> properties = DrainProperties.forRun("localhost:" + port, "tls-test", 1, null,
                    certificate.clientProperties());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("tls"));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    return !records.isEmpty() && records.iterator().next().value().equals("v");
                });
            }
            try (Admin plaintext = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
                assertThatThrownBy(() -> plaintext.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);
            }
        }
    }
}

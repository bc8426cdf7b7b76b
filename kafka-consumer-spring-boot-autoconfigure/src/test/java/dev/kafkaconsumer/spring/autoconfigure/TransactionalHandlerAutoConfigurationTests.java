package dev.kafkaconsumer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.kafkaconsumer.core.Acknowledgement;
import dev.kafkaconsumer.core.CommitMode;
import dev.kafkaconsumer.core.TransactionalSender;
import dev.kafkaconsumer.core.Transactions;
import dev.kafkaconsumer.spring.RecordHandler;

/**
 * Transactional handlers ({@code @RecordHandler(transactional = true)} or
 * {@code kafka.consumer.containers.<id>.transactional}) without a broker: the producer their containers write with
 * ({@code kafka.consumer.producer.*}, else {@code spring.kafka.producer.*}), when they commit
 * ({@code transaction.*}), and the combinations that fail startup. Containers do not start.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransactionalHandlerAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
        .withPropertyValues("kafka.consumer.bootstrap-servers=localhost:9092", "kafka.consumer.group-id=app",
                "kafka.consumer.auto-startup=false");

    @Test
    void aTransactionalHandlersProducerConnectsAsTheConsumersDoWithStringSerializersAndTheApplicationsPrefix() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("spring.application.name=shop", "kafka.consumer.client-id=shop-client",
                    "kafka.consumer.security.protocol=PLAINTEXT")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ContainerSettings invoices = settings(context, "invoices");
                assertThat(invoices.isTransactional()).isTrue();
                ContainerSettings.Transaction transaction = invoices.transaction();
                assertThat(transaction.sendTo()).isEqualTo("invoices");
                assertThat(transaction.producerProperties()).containsEntry("bootstrap.servers", "localhost:9092")
                    .containsEntry("security.protocol", "PLAINTEXT")
                    .containsEntry("client.id", "shop-client-invoices-producer")
                    .doesNotContainKeys("group.id", "transactional.id", "key.serializer", "value.serializer");
                assertThat(transaction.keySerializer()).isEqualTo(StringSerializer.class);
                assertThat(transaction.valueSerializer()).isEqualTo(StringSerializer.class);
                assertThat(transaction.transactionIdPrefix()).isEqualTo("shop-tx-");
                assertThat(transaction.commitInterval()).isNull();
                assertThat(transaction.maxRecords()).isNull();
                assertThat(settings(context, "orders").isTransactional()).isFalse();
                assertThat(settings(context, "orders").transaction()).isNull();

                Transactions<Object, Object> transactions = context.getBean(ConsumerContainerFactory.class)
                    .transactions(invoices);
                assertThat(transactions.transactionalIdPrefix()).isEqualTo("shop-tx-");
                assertThat(transactions.commitInterval()).isEqualTo(Transactions.DEFAULT_COMMIT_INTERVAL);
                assertThat(transactions.maxRecordsPerTransaction())
                    .isEqualTo(Transactions.DEFAULT_MAX_RECORDS_PER_TRANSACTION);
                assertThat(transactions.keySerializer()).isInstanceOf(StringSerializer.class);
                assertThat(transactions.valueSerializer()).isInstanceOf(StringSerializer.class);
                assertThat(transactions.producerProperties()).isEqualTo(transaction.producerProperties());
            });
    }

    @Test
    void withoutAnApplicationNameThePrefixIsTheModulesAndAPropertyWinsOverIt() {
        this.contextRunner.withUserConfiguration(Handlers.class).run((context) -> assertThat(
                settings(context, "invoices").transaction().transactionIdPrefix()).isEqualTo("kafka-consumer-tx-"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("spring.application.name=shop", "kafka.consumer.producer.transaction-id-prefix=billing-")
            .run((context) -> assertThat(settings(context, "invoices").transaction().transactionIdPrefix())
                .isEqualTo("billing-"));
    }

    @Test
    void aContainersTransactionSettingsWinOverThoseOfEveryContainer() {
        this.contextRunner.withUserConfiguration(Handlers.class, SenderHandler.class)
            .withPropertyValues("kafka.consumer.transaction.commit-interval=1s", "kafka.consumer.transaction.max-records=50",
                    "kafka.consumer.containers.invoices.transaction.commit-interval=250ms")
            .run((context) -> {
                ContainerSettings.Transaction invoices = settings(context, "invoices").transaction();
                assertThat(invoices.commitInterval()).isEqualTo(Duration.ofMillis(250));
                assertThat(invoices.maxRecords()).isEqualTo(50);
                ContainerSettings.Transaction sender = settings(context, "sender").transaction();
                assertThat(sender.commitInterval()).isEqualTo(Duration.ofSeconds(1));
                Transactions<Object, Object> transactions = context.getBean(ConsumerContainerFactory.class)
                    .transactions(settings(context, "invoices"));
                assertThat(transactions.commitInterval()).isEqualTo(Duration.ofMillis(250));
                assertThat(transactions.maxRecordsPerTransaction()).isEqualTo(50);
            });
    }

    @Test
    void propertiesMakeAHandlerTransactionalNameItsOutputTopicAndUndoTheAttribute() {
        this.contextRunner.withUserConfiguration(PlainReturningHandler.class, Handlers.class)
            .withPropertyValues("kafka.consumer.containers.plain.transactional=true",
                    "kafka.consumer.containers.plain.send-to=out",
                    "kafka.consumer.containers.invoices.send-to=bills")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(settings(context, "plain").transaction().sendTo()).isEqualTo("out");
                assertThat(settings(context, "invoices").transaction().sendTo()).isEqualTo("bills");
            });
        this.contextRunner.withUserConfiguration(SenderHandler.class)
            .withPropertyValues("kafka.consumer.containers.sender.transactional=false")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("is a TransactionalSender, but the method is not transactional"));
    }

    @Test
    void theProducerTakesSpringKafkaProducerSettingsWhileKafkaConsumerSetsNoConnection() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KafkaConsumerAutoConfiguration.class))
            .withUserConfiguration(Handlers.class)
            .withPropertyValues("spring.kafka.bootstrap-servers=broker:9092", "kafka.consumer.group-id=app",
                    "kafka.consumer.auto-startup=false", "spring.kafka.producer.transaction-id-prefix=legacy-",
                    "spring.kafka.producer.compression-type=zstd", "spring.kafka.producer.linger=20ms",
                    "spring.kafka.producer.acks=1", "spring.kafka.properties.request.timeout.ms=40000",
                    "spring.kafka.producer.properties.max.request.size=2000000",
                    "spring.kafka.producer.key-serializer=" + StringSerializer.class.getName(),
                    "kafka.consumer.producer.properties.linger.ms=5")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ContainerSettings.Transaction transaction = settings(context, "invoices").transaction();
                assertThat(transaction.transactionIdPrefix()).isEqualTo("legacy-");
                assertThat(transaction.producerProperties()).containsEntry("bootstrap.servers", "broker:9092")
                    .containsEntry("compression.type", "zstd")
                    .containsEntry("linger.ms", "5")
                    .containsEntry("request.timeout.ms", "40000")
                    .containsEntry("max.request.size", "2000000")
                    .as("the transactional producer is idempotent: acks=all")
                    .doesNotContainKey("acks");
            });
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("spring.kafka.producer.transaction-id-prefix=legacy-",
                    "spring.kafka.producer.compression-type=zstd")
            .run((context) -> {
                ContainerSettings.Transaction transaction = settings(context, "invoices").transaction();
                assertThat(transaction.transactionIdPrefix()).isEqualTo("kafka-consumer-tx-");
                assertThat(transaction.producerProperties()).doesNotContainKey("compression.type");
            });
    }

    @Test
    void commitOptionsSetForEveryContainerAreLeftToTheOthersAndLogged(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.commit-mode=batch", "kafka.consumer.commit-interval=2s")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(settings(context, "orders").commitMode()).isEqualTo(CommitMode.BATCH);
            });
        assertThat(output).contains("Container invoices is transactional: it commits its offsets in its transactions, "
                + "on transaction.commit-interval, and ignores kafka.consumer.commit-mode, kafka.consumer.commit-interval")
            .doesNotContain("Container orders is transactional");
    }

    @Test
    void aTransactionalHandlerThatIsABatchOrShareHandlerOrHasCommitOptionsOfItsOwnFailsStartup() {
        failsWith(BatchHandler.class, "is transactional, and a transactional handler takes one record at a time");
        failsWith(ShareHandler.class, "reads as share group 'workers', which has no offsets to commit in a transaction");
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.invoices.commit-mode=batch")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("kafka.consumer.containers.invoices.commit-mode does not apply to it"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.invoices.commit-interval=1s")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("set kafka.consumer.containers.invoices.transaction.commit-interval instead"));
    }

    @Test
    void whatATransactionalHandlerCouldNotSendFailsStartupSayingWhatToDo() {
        failsWith(SendToWithoutTransactions.class, "sends to 'out', but is not transactional");
        failsWith(ValueWithoutTopic.class, "returns String, which needs a topic: set @RecordHandler(sendTo) or "
                + "kafka.consumer.containers.untargeted.send-to, or return ProducerRecords");
        failsWith(NothingToSend.class, "returns nothing and takes no TransactionalSender");
        failsWith(Staged.class, "returns CompletableFuture, but a transactional handler's outputs must be known when it "
                + "returns");
        failsWith(Acknowledging.class, "is an Acknowledgement, but the method is transactional");
        failsWith(RecordsWithTopic.class, "of ProducerRecords, which name their topics, and sendTo 'out' would be unused");
        failsWith(LongValues.class, "writes output values of type Long, which the value serializer StringSerializer "
                + "cannot write (it takes String); set kafka.consumer.producer.value-serializer to a Serializer of Long");
        failsWith(VoidWithSendTo.class, "sends returned values to 'out', but returns nothing");
    }

    @Test
    void serializersOfTheRightTypeAreAccepted() {
        this.contextRunner.withUserConfiguration(LongValues.class)
            .withPropertyValues("kafka.consumer.producer.value-serializer=" + LongSerializer.class.getName())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(settings(context, "longs").transaction().valueSerializer()).isEqualTo(LongSerializer.class);
            });
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.producer.key-serializer=" + ByteArraySerializer.class.getName())
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining("writes output keys of type String, which the key serializer ByteArraySerializer "
                        + "cannot write"));
    }

    @Test
    void producerPropertiesThatTheContainerOwnsOrThatAreInvalidFailStartupNamingTheProperty() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.producer.properties.transactional.id=mine")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("kafka.consumer.producer.properties sets transactional.id; remove it and set "
                        + "kafka.consumer.producer.transaction-id-prefix"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.producer.properties.value.serializer=x")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("kafka.consumer.producer.properties sets value.serializer; remove it and set "
                        + "kafka.consumer.producer.value-serializer"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.producer.value-serializer=java.lang.String")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("kafka.consumer.producer.value-serializer names java.lang.String, which does not "
                        + "implement org.apache.kafka.common.serialization.Serializer"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.containers.invoices.transaction.max-records=0")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("kafka.consumer.containers.invoices.transaction.max-records")
                .hasMessageContaining("must be at least 1"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.transaction.commit-interval=0s")
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("kafka.consumer.transaction.commit-interval")
                .hasMessageContaining("must be a positive duration"));
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("kafka.consumer.producer.properties.compression.type=bogus")
            .run((context) -> assertThat(context).getFailure().hasMessageContaining("compression.type"));
    }

    private void failsWith(Class<?> handler, String message) {
        this.contextRunner.withUserConfiguration(handler)
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(RecordHandlerDefinitionException.class)
                .hasMessageContaining(message));
    }

    private static ContainerSettings settings(AssertableApplicationContext context, String id) {
        return context.getBean(ConsumerContainerRegistry.class).get(id).settings();
    }

    static class Handlers {

        @RecordHandler(id = "invoices", topics = "orders", transactional = true, sendTo = "invoices")
        String onOrder(String order) {
            return "invoice for " + order;
        }

        @RecordHandler(id = "orders", topics = "orders")
        void onPlainOrder(String order) {
        }

    }

    static class SenderHandler {

        @RecordHandler(id = "sender", topics = "orders", transactional = true)
        void onOrder(String order, TransactionalSender<String, String> sender) {
            sender.send("out", order, order);
        }

    }

    static class PlainReturningHandler {

        @RecordHandler(id = "plain", topics = "orders")
        String onOrder(String order) {
            return order;
        }

    }

    static class BatchHandler {

        @RecordHandler(id = "batched", topics = "orders", transactional = true, batch = true, sendTo = "out")
        String onOrders(List<String> orders) {
            return "";
        }

    }

    static class ShareHandler {

        @RecordHandler(id = "shared", topics = "orders", transactional = true, shareGroup = "workers", sendTo = "out")
        String onOrder(String order) {
            return order;
        }

    }

    static class SendToWithoutTransactions {

        @RecordHandler(id = "untransacted", topics = "orders", sendTo = "out")
        void onOrder(String order) {
        }

    }

    static class ValueWithoutTopic {

        @RecordHandler(id = "untargeted", topics = "orders", transactional = true)
        String onOrder(String order) {
            return order;
        }

    }

    static class NothingToSend {

        @RecordHandler(id = "silent", topics = "orders", transactional = true)
        void onOrder(String order) {
        }

    }

    static class Staged {

        @RecordHandler(id = "staged", topics = "orders", transactional = true, sendTo = "out")
        CompletableFuture<String> onOrder(String order) {
            return CompletableFuture.completedFuture(order);
        }

    }

    static class Acknowledging {

        @RecordHandler(id = "acknowledging", topics = "orders", transactional = true, sendTo = "out")
        String onOrder(String order, Acknowledgement acknowledgement) {
            return order;
        }

    }

    static class RecordsWithTopic {

        @RecordHandler(id = "records", topics = "orders", transactional = true, sendTo = "out")
        Collection<ProducerRecord<String, String>> onOrder(String order) {
            return List.of();
        }

    }

    static class LongValues {

        @RecordHandler(id = "longs", topics = "orders", transactional = true, sendTo = "out")
        long onOrder(String order) {
            return order.length();
        }

    }

    static class VoidWithSendTo {

        @RecordHandler(id = "voided", topics = "orders", transactional = true, sendTo = "out")
        void onOrder(String order, TransactionalSender<String, String> sender) {
        }

    }

}

/**
 * Auto-configuration of kafka-consumer: {@code kafka.consumer.*} properties, the containers of
 * {@code @RecordHandler} methods, their registry, and the failure analyzers.
 */
@NullMarked
package dev.kafkaconsumer.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;

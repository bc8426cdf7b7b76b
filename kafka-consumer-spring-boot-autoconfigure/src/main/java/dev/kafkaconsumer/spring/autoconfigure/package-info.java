/**
 * Auto-configuration of kafka-consumer: {@code kafka.consumer.*} properties, the containers of
 * {@code @RecordHandler} methods (consumer-group containers, and share containers for handlers with a share group),
 * their registry, and the failure analyzers.
 */
@NullMarked
package dev.kafkaconsumer.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;

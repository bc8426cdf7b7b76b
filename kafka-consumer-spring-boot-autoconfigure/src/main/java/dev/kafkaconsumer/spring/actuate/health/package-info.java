/**
 * The kafkaConsumers health contributor: one indicator per container.
 */
@NullMarked
package dev.kafkaconsumer.spring.actuate.health;

import org.jspecify.annotations.NullMarked;

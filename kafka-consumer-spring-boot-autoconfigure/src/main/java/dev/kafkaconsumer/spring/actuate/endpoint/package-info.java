/**
 * Actuator endpoints: kafkaconsumers (containers, positions, actions) and kafkalag (lag per container, topic and partition).
 */
@NullMarked
package dev.kafkaconsumer.spring.actuate.endpoint;

import org.jspecify.annotations.NullMarked;

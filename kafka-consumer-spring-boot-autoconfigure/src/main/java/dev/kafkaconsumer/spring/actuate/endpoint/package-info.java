/**
 * Actuator endpoints: kafkaconsumers (containers of both kinds, positions, what share containers acknowledged, actions)
 * and kafkalag (lag per consumer-group container, topic and partition).
 */
@NullMarked
package dev.kafkaconsumer.spring.actuate.endpoint;

import org.jspecify.annotations.NullMarked;

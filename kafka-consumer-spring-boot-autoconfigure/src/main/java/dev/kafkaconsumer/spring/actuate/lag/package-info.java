/**
 * Lag tracking, framework-neutral: a window of samples per partition, time lag as kafka-lag-exporter estimates it, and a status in the spirit of Burrow;
 * and the share groups' lag, which only the broker knows, asked of it in the background.
 */
@NullMarked
package dev.kafkaconsumer.spring.actuate.lag;

import org.jspecify.annotations.NullMarked;

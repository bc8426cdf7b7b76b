/**
 * What applications write against: {@link dev.kafkaconsumer.spring.RecordHandler} methods and their
 * parameter annotations.
 */
@NullMarked
package dev.kafkaconsumer.spring;

import org.jspecify.annotations.NullMarked;

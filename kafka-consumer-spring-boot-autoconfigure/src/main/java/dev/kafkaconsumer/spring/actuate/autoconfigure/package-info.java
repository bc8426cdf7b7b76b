/**
 * Auto-configuration of the lag tracking, the endpoints and the health contributor, one per concern.
 */
@NullMarked
package dev.kafkaconsumer.spring.actuate.autoconfigure;

import org.jspecify.annotations.NullMarked;

package dev.kafkaconsumer.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter of a share handler ({@link RecordHandler#shareGroup()}) to the record's delivery count, as an
 * {@code int}: 1 on its first delivery, one more each time the share group hands it out again (after a release, or
 * after the acquisition lock of a consumer that did not acknowledge it in time expired). A consumer-group handler
 * cannot take it: its records have no delivery count, and startup says so.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DeliveryCount {
}

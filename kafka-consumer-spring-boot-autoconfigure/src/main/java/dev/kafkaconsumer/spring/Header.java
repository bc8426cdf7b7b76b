package dev.kafkaconsumer.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@link RecordHandler} method parameter to the last header of the given name, as {@code byte[]}
 * or as a UTF-8 {@code String}; {@code null} when the record has no such header.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Header {

    /**
     * The header's name.
     *
     * @return the name
     */
    String value();
}

package dev.kafkaconsumer.spring.autoconfigure;

import java.lang.reflect.Type;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import tools.jackson.databind.json.JsonMapper;

/**
 * Reads JSON payloads with the application's Jackson {@link JsonMapper} (the one Spring Boot configures
 * from {@code spring.jackson.*}), or a plain one when there is no mapper bean. Loaded only when Jackson is
 * on the class path.
 */
final class JsonPayloads {

    private final JsonMapper mapper;

    private JsonPayloads(JsonMapper mapper) {
        this.mapper = mapper;
    }

    static JsonPayloads from(ConfigurableListableBeanFactory beanFactory) {
        return of(beanFactory.getBeanProvider(JsonMapper.class).getIfUnique(() -> JsonMapper.builder().build()));
    }

    static JsonPayloads of(JsonMapper mapper) {
        return new JsonPayloads(mapper);
    }

    Object read(byte[] json, Type type) {
        return this.mapper.readValue(json, this.mapper.constructType(type));
    }

}

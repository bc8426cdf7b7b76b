package dev.kafkaconsumer.spring.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.kafkaconsumer.spring.actuate.endpoint.KafkaConsumersEndpoint.Descriptor;

/**
 * The web side of {@link KafkaConsumersEndpoint}: an action on an unknown container answers 404, not the
 * 204 that a write operation returning nothing would, and a bad request answers 400 with its reason in the
 * body, which Boot's error page leaves out by default ({@code server.error.include-message=never}).
 *
 * <p>The action and the offset are taken as text and read here, not converted by the actuator: a conversion that
 * fails, or an action missing, would answer 400 through that error page, without saying what was wrong. What is
 * left to the actuator and Spring MVC is a body that is not a JSON object of plain values (an array, a nested object,
 * not JSON at all): 400 from the error page.
 */
@EndpointWebExtension(endpoint = KafkaConsumersEndpoint.class)
public class KafkaConsumersEndpointWebExtension {

    private final KafkaConsumersEndpoint delegate;

    /**
     * Creates the extension.
     *
     * @param delegate the endpoint
     */
    public KafkaConsumersEndpointWebExtension(KafkaConsumersEndpoint delegate) {
        this.delegate = delegate;
    }

    /**
     * Acts on a container; see {@link KafkaConsumersEndpoint#act}. An unknown container answers 404 whatever the
     * rest of the request.
     *
     * @param id         the container id
     * @param action     what to do: {@code pause}, {@code resume}, {@code start}, {@code stop} or {@code seek}
     * @param position   for a seek: {@code beginning} or {@code end}
     * @param offset     for a seek: the offset to move to
     * @param timestamp  for a seek: the time to move to
     * @param partitions for a seek: the partitions to move
     * @return the container after the action (200), 404 for an unknown id, or 400 with the reason
     */
    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String id, @Nullable String action, @Nullable String position,
            @Nullable String offset, @Nullable String timestamp, @Nullable String partitions) {
        if (this.delegate.container(id) == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        Descriptor container;
        try {
            container = this.delegate.act(id, KafkaConsumersEndpoint.action(action), position,
                    KafkaConsumersEndpoint.offset(offset), timestamp, partitions);
        }
        catch (InvalidEndpointRequestException ex) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
            body.put("error", "Bad Request");
            body.put("message", ex.getReason());
            return new WebEndpointResponse<>(OperationResponseBody.of(body), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        return (container != null) ? new WebEndpointResponse<>(container)
                : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

}

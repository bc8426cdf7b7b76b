package dev.kafkaconsumer.core.internal.container;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;

/**
 * Tells a static member's fencing apart from the errors a container waits out. Two members started with
 * the same {@code group.instance.id} cannot both run: under the classic protocol the newer one takes the id
 * and the older is fenced ({@link FencedInstanceIdException}); under the consumer protocol (KIP-848) the
 * newer one is refused while the older holds it ({@link UnreleasedInstanceIdException}). Retrying cannot cure
 * either (under classic a fenced member that polls again takes the id back and fences the other in turn, for
 * ever), so the container fails, with a reason that says which id and what to do.
 */
final class Fencing {

    private final String group;
    private final Object instanceId;

    Fencing(Map<String, Object> consumerProperties) {
        this.group = String.valueOf(consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG));
        this.instanceId = consumerProperties.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    /**
     * Returns why the container must fail, when {@code error} (or one of its causes) fenced its membership.
     *
     * @return the reason, or {@code null} for any other error
     */
    String reason(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof FencedInstanceIdException) {
                return "it was fenced: another member of group " + group + " joined with the same group.instance.id "
                        + instanceId + " and took its place (" + cause + "); give each running instance its own group.instance.id";
            }
            if (cause instanceof UnreleasedInstanceIdException) {
                return "it was fenced: group.instance.id " + instanceId + " is held by another running member of group " + group
                        + " (" + cause + "); give each running instance its own group.instance.id, and start a replacement only"
                        + " after its predecessor stopped";
            }
        }
        return null;
    }
}

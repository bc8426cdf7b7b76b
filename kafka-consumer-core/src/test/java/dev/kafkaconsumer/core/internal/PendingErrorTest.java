package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.junit.jupiter.api.Test;

class PendingErrorTest {

    private final PendingError pending = new PendingError();

    @Test
    void anErrorIsThrownOnceAndASecondBeforeThenIsDropped() {
        assertThat(pending.offer(new AuthenticationException("first"))).isTrue();
        assertThat(pending.offer(new AuthorizationException("second"))).isFalse();

        assertThatThrownBy(pending::throwPending).isInstanceOf(AuthenticationException.class).hasMessage("first");
        pending.throwPending();
        assertThat(pending.offer(new AuthorizationException("third"))).isTrue();
        assertThatThrownBy(pending::throwPending).hasMessage("third");
    }
}

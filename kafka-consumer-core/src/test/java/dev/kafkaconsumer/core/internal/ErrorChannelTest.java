package dev.kafkaconsumer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.junit.jupiter.api.Test;

class ErrorChannelTest {

    private final ErrorChannel channel = new ErrorChannel();

    @Test
    void anErrorIsThrownOnceAndASecondBeforeThenIsDropped() {
        assertThat(channel.offer(new AuthenticationException("first"))).isTrue();
        assertThat(channel.offer(new AuthorizationException("second"))).isFalse();

        assertThatThrownBy(channel::throwPending).isInstanceOf(AuthenticationException.class).hasMessage("first");
        channel.throwPending();
        assertThat(channel.offer(new AuthorizationException("third"))).isTrue();
        assertThatThrownBy(channel::throwPending).hasMessage("third");
    }
}

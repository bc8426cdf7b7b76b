package dev.kafkaconsumer.core.internal;

import java.time.Duration;
import java.util.Set;

/**
 * The commands that change or read the subscription as applied to the consumer. Built on a caller thread,
 * run on the I/O thread (see {@link IoCommand}).
 */
final class SubscriptionCommands {

    private SubscriptionCommands() {
    }

    /** Applies a subscription: {@code subscribe}, {@code assign}, {@code unsubscribe}, and the one made before {@code start}. */
    static final class Apply extends IoCommand<Void> {
        private final Subscription subscription;

        Apply(Subscription subscription, Deadline deadline) {
            super(describe(subscription), deadline);
            this.subscription = subscription;
        }

        @Override
        Void execute(IoContext io, Duration timeout) {
            io.assignments().apply(subscription, io.time().nanoseconds());
            return null;
        }
    }

    /** The topics subscribed now; for a pattern, those it matches. */
    static final class SubscribedTopics extends IoCommand<Set<String>> {
        SubscribedTopics(Deadline deadline) {
            super("subscription()", deadline);
        }

        @Override
        Set<String> execute(IoContext io, Duration timeout) {
            return io.assignments().subscribedTopics();
        }
    }

    private static String describe(Subscription subscription) {
        return switch (subscription.kind()) {
            case TOPICS -> "subscribe(" + subscription.topics() + ")";
            case PATTERN -> "subscribe(pattern " + subscription.pattern() + ")";
            case PARTITIONS -> "assign(" + subscription.partitions() + ")";
            case NONE -> "unsubscribe()";
        };
    }
}

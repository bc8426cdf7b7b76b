package dev.kafkaconsumer.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests one in-process {@link KafkaBroker} shared by every test class of
 * the JVM, so a suite starts the cluster once. The cluster stops when the JVM's test run ends.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class OrdersTest {
 *     @Test
 *     void consumesOrders(KafkaBroker kafka) { ... }
 * }
 * }</pre>
 *
 * <p>Tests that share the cluster must not depend on its state: give each test its own topics and
 * group ids. A test that needs special broker settings builds its own {@link KafkaBroker} instead.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return sharedBroker(extensionContext);
    }

    /**
     * Returns the cluster shared by this JVM's tests, starting it on first use.
     *
     * @param context any extension context of the run
     * @return the shared cluster
     */
    public static KafkaBroker sharedBroker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(KafkaBroker.class, type -> KafkaBroker.builder().start(), KafkaBroker.class);
    }
}

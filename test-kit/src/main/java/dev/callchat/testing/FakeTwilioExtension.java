package dev.callchat.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh {@link FakeTwilio} and closes it after the test. Ask for it as a
 * parameter of the test method or of a {@code @BeforeEach} method; within one test both get the
 * same instance:
 *
 * <pre>{@code
 * @ExtendWith(FakeTwilioExtension.class)
 * class MyTwilioTest {
 *     private FakeTwilio fake;
 *
 *     @BeforeEach
 *     void start(FakeTwilio fake) {
 *         this.fake = fake;
 *     }
 * }
 * }</pre>
 */
public final class FakeTwilioExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeTwilioExtension.class);

    /** Used by JUnit. */
    public FakeTwilioExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeTwilio.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Stored in the test method's context, so JUnit closes it when that test ends.
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, type -> new Running(FakeTwilio.start()),
                Running.class).fake();
    }

    private record Running(FakeTwilio fake) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            fake.close();
        }
    }
}

package io.postbus.delivery.smtp;

import io.postbus.delivery.net.VertxSmtpConnector;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The network side for tests: one Vert.x for the test JVM (its event loops run every test's
 * conversations; closed when the JVM exits) and a connector on it, plus the waits that turn a
 * session's stages back into values or the {@link SmtpException} they failed with.
 */
public final class TestNet {

    private static final Vertx VERTX = Vertx.vertx();
    private static final VertxSmtpConnector CONNECTOR = new VertxSmtpConnector(VERTX);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(VERTX::close, "test-vertx-close"));
    }

    private TestNet() {
    }

    public static Vertx vertx() {
        return VERTX;
    }

    public static SmtpConnector connector() {
        return CONNECTOR;
    }

    /** {@link SmtpConnection#open} on the shared connector, waited for. */
    public static SmtpConnection open(String host, InetSocketAddress address, SmtpClientConfig config)
            throws SmtpException {
        return await(SmtpConnection.open(CONNECTOR, host, address, config));
    }

    /** {@link SmtpConnection#send}, waited for. */
    public static SmtpDeliveryResult send(SmtpConnection c, SmtpEnvelope envelope, byte[] message) throws SmtpException {
        return await(c.send(envelope, message));
    }

    /** Closes as {@link SmtpConnection#close()} does, but waits for the QUIT exchange to end. */
    public interface Quit extends AutoCloseable {
        @Override
        void close() throws SmtpException;
    }

    /** For try-with-resources: QUIT {@code c} at the end of the block and wait for it. */
    public static Quit quitting(SmtpConnection c) {
        return () -> await(c.quit());
    }

    /** The stage's value; its {@link SmtpException} thrown as it is. Never waits more than two minutes. */
    public static <T> T await(CompletionStage<T> stage) throws SmtpException {
        try {
            return stage.toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            Throwable cause = Async.cause(e);
            if (cause instanceof SmtpException s) {
                throw s;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError("no result within two minutes", e);
        }
    }
}

package io.postbus.loadtest.retry;

import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TransactionalStage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;

/**
 * Starts the real {@code io.postbus.delivery.worker.DeliveryWorker} with a {@link SwitchAgent} as its
 * {@code DeliveryAgent}, by name.
 *
 * <p>WHY by name: the delivery-worker's tests depend on this module (its SMTP sink), so this module
 * cannot depend on the delivery-worker: Maven refuses the cycle even across scopes. The worker is
 * therefore linked when the benchmark runs, from the class path scripts/bench-retry (and the test's
 * surefire configuration) give it. Everything touched here is the worker's public API: the constructor
 * {@code postbus up} uses without DSNs, {@code RetrySchedule}, {@code DeliveryReport.all} and
 * {@code RemoteReply}. Once the cycle is broken (the sink moved to the testkit), this class becomes five
 * typed lines.
 */
final class DeliveryWorkerLink {
    static final String WORKER = "io.postbus.delivery.worker.DeliveryWorker";
    private static final String CORE = "io.postbus.delivery.core.";

    private DeliveryWorkerLink() {}

    /** True when the delivery-worker's classes are on the class path. */
    static boolean available() {
        try {
            Class.forName(WORKER, false, DeliveryWorkerLink.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * {@code new DeliveryWorker(ctx, agent, new RetrySchedule(minimal, maximal, tiers), maxLifetime).start()}.
     *
     * @throws IllegalStateException when the delivery-worker is missing or its API has changed
     */
    static TransactionalStage start(StageContext ctx, SwitchAgent agent, Duration minimalBackoff,
                                    Duration maximalBackoff, List<String> tiers, Duration maxLifetime) {
        try {
            ClassLoader loader = DeliveryWorkerLink.class.getClassLoader();
            Class<?> agentType = Class.forName(CORE + "DeliveryAgent", true, loader);
            Class<?> requestType = Class.forName(CORE + "DeliveryRequest", true, loader);
            Class<?> scheduleType = Class.forName(CORE + "RetrySchedule", true, loader);
            Class<?> reportType = Class.forName(CORE + "DeliveryReport", true, loader);
            Class<?> replyType = Class.forName(CORE + "RemoteReply", true, loader);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<? extends Enum> outcomeType = (Class<? extends Enum>) Class.forName(CORE + "DeliveryReport$Outcome", true, loader);
            Method all = reportType.getMethod("all", requestType, outcomeType, replyType, long.class);
            var replyOf = replyType.getConstructor(int.class, String.class, String.class);
            Object greylisted = replyOf.newInstance(451, "4.7.1", "4.7.1 Greylisted, try again later");
            Object queued = replyOf.newInstance(250, "2.0.0", "2.0.0 Ok: queued");
            @SuppressWarnings("unchecked")
            Object delivered = Enum.valueOf(outcomeType, "DELIVERED");
            @SuppressWarnings("unchecked")
            Object deferred = Enum.valueOf(outcomeType, "DEFERRED");
            Object proxy = Proxy.newProxyInstance(loader, new Class<?>[] {agentType}, (self, method, args) -> {
                switch (method.getName()) {
                    case "deliver":
                        boolean ok = agent.attempt();
                        return all.invoke(null, args[0], ok ? delivered : deferred, ok ? queued : greylisted, 0L);
                    case "toString":
                        return "SwitchAgent";
                    case "hashCode":
                        return System.identityHashCode(self);
                    case "equals":
                        return self == args[0];
                    default:
                        throw new UnsupportedOperationException(method.toString());
                }
            });
            Object schedule = scheduleType.getConstructor(Duration.class, Duration.class, List.class)
                    .newInstance(minimalBackoff, maximalBackoff, tiers);
            Class<?> workerType = Class.forName(WORKER, true, loader);
            Object worker = workerType.getConstructor(StageContext.class, agentType, scheduleType, Duration.class)
                    .newInstance(ctx, proxy, schedule, maxLifetime);
            return (TransactionalStage) workerType.getMethod("start").invoke(worker);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the delivery-worker is not on the class path (" + e.getMessage()
                    + "): add delivery-worker/target/classes or its jar", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the delivery-worker failed to start: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the delivery-worker's API is not what this benchmark was written for: " + e, e);
        }
    }
}

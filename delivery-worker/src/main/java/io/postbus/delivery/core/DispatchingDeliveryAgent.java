package io.postbus.delivery.core;

import java.util.EnumMap;
import java.util.Map;

/**
 * Hands each request to the agent for its transport. A transport with no agent configured is
 * deferred (4.3.0), never bounced: the mail waits in the retry tiers until an agent exists or the
 * queue lifetime runs out, as Postfix leaves mail for an unavailable transport in its queue.
 */
public final class DispatchingDeliveryAgent implements DeliveryAgent {
    private final Map<Transport, DeliveryAgent> agents;

    public DispatchingDeliveryAgent(Map<Transport, ? extends DeliveryAgent> agents) {
        this.agents = agents.isEmpty() ? new EnumMap<>(Transport.class) : new EnumMap<>(agents);
    }

    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        DeliveryAgent agent = agents.get(request.transport());
        if (agent == null) {
            return DeliveryReport.all(request, DeliveryReport.Outcome.DEFERRED,
                    new RemoteReply(451, "4.3.0", request.transport() + " delivery not available yet"), 0);
        }
        return agent.deliver(request);
    }
}

package io.postbus.delivery.core;

/**
 * Makes one delivery attempt for one destination: connect (MX or next hop), transfer, and report
 * per recipient. Blocking; runs on the delivery stage's work pool, several attempts at once, so an
 * agent must be safe to call from many threads (ADR 0010). Must not throw for a remote outcome:
 * refused connections, timeouts and DNS trouble are reported as DEFERRED results.
 */
public interface DeliveryAgent {
    DeliveryReport deliver(DeliveryRequest request);
}

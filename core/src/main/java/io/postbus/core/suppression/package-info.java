/**
 * The suppression list, pure: which addresses newly routed mail must not go to, why and until when,
 * and which permanent failures put an address on it. The Kafka side (the compacted topic
 * {@code mail.suppression}, keyed by address) lives in {@code io.postbus.core.kafka}.
 */
package io.postbus.core.suppression;

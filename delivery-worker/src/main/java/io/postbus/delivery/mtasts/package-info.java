/**
 * SMTP MTA Strict Transport Security (RFC 8461) as a pure core: the {@code _mta-sts} TXT record
 * ({@link io.postbus.delivery.mtasts.StsRecord}), the policy file ({@link io.postbus.delivery.mtasts.StsPolicy}
 * with its {@link io.postbus.delivery.mtasts.MxPattern}s), a cache honouring max_age
 * ({@link io.postbus.delivery.mtasts.StsPolicyCache}) and the discovery flow of §3 and §5.1
 * ({@link io.postbus.delivery.mtasts.MtaSts}). DNS and the clock are injected; the HTTPS fetch is an
 * interface ({@link io.postbus.delivery.mtasts.StsPolicyFetcher}) implemented by the worker's shell.
 * No sockets, no Vert.x, no Kafka here.
 */
package io.postbus.delivery.mtasts;

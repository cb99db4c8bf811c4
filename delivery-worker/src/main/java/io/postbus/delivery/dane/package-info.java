/**
 * DANE for SMTP (RFC 7672, on RFC 6698 and RFC 7671): which TLSA records are usable, whether a
 * server's certificate chain matches them ({@link io.postbus.delivery.dane.DaneVerifier}), and what
 * DNSSEC says about an MX host ({@link io.postbus.delivery.dane.DaneLookup}). Pure: no sockets; DNS
 * through the injected {@code DnsResolver}. The TLS levels that use it are in
 * {@code io.postbus.delivery.route.DestinationTls}.
 */
package io.postbus.delivery.dane;

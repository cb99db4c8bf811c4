/**
 * SPF verification (RFC 7208) as a pure core: no sockets, no Kafka, no Vert.x. DNS comes from an
 * injected {@link io.postbus.core.dns.DnsResolver}, time from a {@link java.time.Clock}.
 *
 * <p>Entry point: {@link io.postbus.auth.spf.SpfVerifier}. {@code verify(SpfRequest)} does what a
 * receiver does (MAIL FROM, or postmaster@HELO for the null reverse-path, and optionally HELO on its
 * own); {@code checkHost(...)} is the RFC's check_host() function. Both return
 * {@link io.postbus.auth.spf.SpfVerdict}s: the {@link io.postbus.auth.spf.SpfResult} with the
 * identity, the domain, the matching mechanism, the explanation of a fail and the reason of an error,
 * which is what Authentication-Results and DMARC are built from.
 *
 * <p>Inside: {@code SpfRecordParser} parses a whole record up front (any syntax error is permerror),
 * {@code Evaluation} runs check_host() with include and redirect, {@code AddressMechanisms} the
 * address-matching mechanisms, {@code MacroString}/{@code MacroExpander} the macros of §7, and
 * {@code Lookups} every DNS query with the limits of §4.6.4 and the time budget.
 */
package io.postbus.auth.spf;

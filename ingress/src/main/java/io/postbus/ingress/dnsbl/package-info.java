/**
 * DNSBL/DNSWL screening of the SMTP client address at connect (RFC 5782), weighted the way Postfix
 * postscreen does it with {@code postscreen_dnsbl_sites} and {@code postscreen_dnsbl_threshold}.
 *
 * <p>A pure package (java.* and the core DNS contract {@link io.postbus.core.dns.DnsResolver} only).
 * The shell builds a {@link io.postbus.ingress.dnsbl.DnsblPolicy} once from configuration, a
 * {@link io.postbus.ingress.dnsbl.DnsblChecker} around it, and, off the event loop, calls
 * {@link io.postbus.ingress.dnsbl.DnsblChecker#check} for each new connection. The answer is a
 * {@link io.postbus.ingress.dnsbl.DnsblVerdict} value; when it says REJECT,
 * {@link io.postbus.ingress.dnsbl.DnsblReply} has the pieces of the 554 greeting.
 *
 * <p>A DNS failure never rejects: a broken or unreachable list counts as "not listed" and is
 * reported in the verdict so it can be logged.
 */
package io.postbus.ingress.dnsbl;

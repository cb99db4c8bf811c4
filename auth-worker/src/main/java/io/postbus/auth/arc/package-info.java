/**
 * ARC, the Authenticated Received Chain of RFC 8617, as a pure core: no I/O but the injected
 * {@link io.postbus.core.dns.DnsResolver} and {@link java.time.Clock}.
 *
 * <ul>
 *   <li>{@link io.postbus.auth.arc.ArcChain} groups the ARC-Authentication-Results,
 *       ARC-Message-Signature and ARC-Seal fields into sets and applies the structural rules of §5.2.</li>
 *   <li>{@link io.postbus.auth.arc.ArcValidator} runs the chain validation algorithm of §5.2 and returns an
 *       {@link io.postbus.auth.arc.ArcValidation}: none, pass or fail, N, oldest-pass, per-set results and
 *       the failing step.</li>
 *   <li>{@link io.postbus.auth.arc.ArcSealer} adds the next set (§5.1), or says why it adds none.</li>
 * </ul>
 *
 * <p>Choices where the RFC leaves room, or where the ValiMail draft-18 suite and RFC 8617 differ:
 * <ul>
 *   <li>An AMS without c= is simple/simple, as in DKIM (RFC 6376 §3.5; RFC 8617 §4.1.2 changes nothing
 *       there). dkimpy, which generated the ValiMail suite, reads it as relaxed/relaxed; the one suite case
 *       built on that ({@code ams_fields_c_na}) therefore fails here, as it does in Mail::DKIM.</li>
 *   <li>A DNS failure while fetching a key gives status FAIL marked {@link io.postbus.auth.arc.ArcFailure#temporary()
 *       temporary}; the sealer then adds no set rather than sealing cv=fail over an outage.</li>
 *   <li>RFC 8301 applies: rsa-sha1 and RSA keys under 1024 bits never verify, and are never used to sign.</li>
 *   <li>An ARC-Seal with h= breaks the chain's structure (§4.1.3); an AMS whose h= names ARC-Seal does not
 *       verify (§4.1.2), as in dkimpy. Other ARC fields in an AMS h= are tolerated when verifying (the
 *       suite's messages all sign ARC-Authentication-Results) but refused when sealing.</li>
 *   <li>Sets with two signing algorithms for one instance (§4.2.1 allows them) are treated as duplicates,
 *       as dkimpy and Stalwart do.</li>
 * </ul>
 */
package io.postbus.auth.arc;

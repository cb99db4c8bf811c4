/**
 * Postfix's address classes and the rules built on them, as a pure core shared by the ingress
 * (RCPT TO) and the queue-router (aliasing).
 *
 * <p>Build an {@link io.postbus.core.address.AddressingConfig} (validated whole: a domain in two
 * classes is an error), then an {@link io.postbus.core.address.AddressClassifier}; from it:
 * <ul>
 *   <li>{@link io.postbus.core.address.RecipientValidator} — RCPT TO decisions with Postfix's
 *       replies (550 5.1.1 unknown user, 554 5.7.1 relay access denied);</li>
 *   <li>{@link io.postbus.core.address.VirtualAliasExpander} — virtual(5) expansion with Postfix's
 *       limits and typed errors;</li>
 *   <li>{@link io.postbus.core.address.AddressLookup} and {@link io.postbus.core.address.AddressMapper}
 *       — the virtual(5)/canonical(5) search order and result rewriting, for any other table.</li>
 * </ul>
 */
package io.postbus.core.address;

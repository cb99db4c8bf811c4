/**
 * Delivery status notifications (RFC 3461, RFC 3464, RFC 6522): deciding whether one is sent and
 * to whom, and writing it. Pure: no Kafka, Vert.x or socket imports; time from an injected Clock;
 * inputs are plain records, not the Avro contract (the delivery worker maps).
 *
 * <p>{@link io.postbus.core.dsn.DsnPolicy} applies NOTIFY (RFC 3461 §4.1; absent means FAILURE and
 * DELAY), never answers the null sender, and sends failures of null-sender mail to the postmaster
 * once (Postfix's double bounce). {@link io.postbus.core.dsn.DsnPolicy#plan} turns the recipients'
 * {@link io.postbus.core.dsn.RecipientStatus}es into one {@link io.postbus.core.dsn.DsnRequest} per
 * message and kind; {@link io.postbus.core.dsn.DsnComposer} writes it as a
 * {@link io.postbus.core.dsn.DsnMessage} to be queued with MAIL FROM:&lt;&gt;.
 *
 * <p>Returned content: RET=HDRS gives text/rfc822-headers, RET=FULL message/rfc822; without RET the
 * whole message, as Postfix does (RFC 3461 §4.3 lets the MTA choose). Delay and success reports carry
 * headers only (RFC 3461 §4.3). Messages over the size limit (Postfix bounce_size_limit, 50000) come
 * back as headers.
 */
package io.postbus.core.dsn;

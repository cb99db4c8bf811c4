/**
 * Server-side SMTP AUTH (RFC 4954): the SASL mechanisms PLAIN (RFC 4616), LOGIN (the de-facto
 * draft-murchison-sasl-login) and SCRAM-SHA-256 (RFC 5802, RFC 7677), the user file they check
 * against, and a per-address limiter for failed attempts.
 *
 * <p>A pure package: java.* and Bouncy Castle only, no Vert.x, Kafka or sockets. The SMTP shell
 * owns the wire: it reads {@code AUTH <mech> [initial-response]}, decodes base64 with
 * {@link io.postbus.ingress.auth.SaslCodec}, creates one {@link io.postbus.ingress.auth.SaslMechanism}
 * per attempt from {@link io.postbus.ingress.auth.Mechanisms}, feeds it the client's data and turns
 * each {@link io.postbus.ingress.auth.SaslResult} into a {@code 334}, {@code 235} or error reply.
 *
 * <p>Password verification (Argon2id, bcrypt, PBKDF2) is deliberately slow: a mechanism's
 * {@code start}/{@code respond} may take tens of milliseconds of CPU and allocate the Argon2
 * memory cost, so the shell calls them off the event loop.
 *
 * <p>No credential (password, hash, salt, key, decoded client data) appears in a
 * {@code toString()}, an exception message or a log line; user names may.
 */
package io.postbus.ingress.auth;

/**
 * Bounce classification: which {@link io.postbus.core.bounce.BounceClass} a permanent SMTP reply
 * belongs to, decided by rules in a plain text file that operators can extend. No Kafka, Vert.x or
 * socket imports.
 *
 * <p>A rule matches the RFC 3463 enhanced status code (exactly, or with {@code *}) and, optionally,
 * a case-insensitive regular expression on the reply text; the first matching rule wins.
 * {@link io.postbus.core.bounce.BounceRules#builtIn()} holds the shipped rules;
 * {@link io.postbus.core.bounce.BounceRules#withUserFile(java.nio.file.Path)} puts an operator's file
 * in front of them. A bad file throws {@link io.postbus.core.bounce.BounceRulesException} with the
 * line and a typed problem.
 */
package io.postbus.core.bounce;

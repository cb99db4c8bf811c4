package io.postbus.delivery.core;

import java.time.Duration;

/**
 * How the delivery client talks to remote MTAs.
 *
 * @param heloName         our name in EHLO (Postfix smtp_helo_name = myhostname)
 * @param opportunisticTls STARTTLS when offered, plain text if it fails (Postfix smtp_tls_security_level=may)
 * @param connectTimeout   TCP connect (Postfix smtp_connect_timeout)
 * @param commandTimeout   wait for each reply (RFC 5321 §4.5.3.2 suggests 5 minutes; 10 after the final dot)
 */
public record DeliverySettings(String heloName, boolean opportunisticTls, Duration connectTimeout, Duration commandTimeout) {}

package io.postbus.delivery.core;

import io.postbus.delivery.smtp.TlsPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the delivery client talks to remote MTAs.
 *
 * @param heloName       our name in EHLO (Postfix smtp_helo_name = myhostname)
 * @param tlsPolicy      the TLS level of destinations the policy map and MTA-STS say nothing about
 *                       (Postfix smtp_tls_security_level)
 * @param connectTimeout TCP connect (Postfix smtp_connect_timeout)
 * @param commandTimeout wait for each reply (RFC 5321 §4.5.3.2 suggests 5 minutes; 10 after the final dot)
 */
public record DeliverySettings(String heloName, TlsPolicy tlsPolicy, Duration connectTimeout, Duration commandTimeout) {

    public DeliverySettings {
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
    }

    /** {@code opportunisticTls}: MAY when true, NONE when false. */
    public DeliverySettings(String heloName, boolean opportunisticTls, Duration connectTimeout, Duration commandTimeout) {
        this(heloName, opportunisticTls ? TlsPolicy.MAY : TlsPolicy.NONE, connectTimeout, commandTimeout);
    }
}

package io.postbus.delivery.smtp;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client introduces itself and how patient it is.
 *
 * @param heloName  our host name for EHLO/HELO (RFC 5321 §4.1.1.1: the client's FQDN)
 * @param timeouts  one timeout per phase
 * @param tlsPolicy whether to use STARTTLS
 * @param protocol  SMTP, or LMTP (RFC 2033) to a mailbox server
 * @param tlsClient the trust anchors and trust managers STARTTLS uses
 * @param sourceAddress the local address to bind before connecting (Postfix smtp_bind_address);
 *                  empty to let the kernel choose. It must be of the destination's family.
 * @param sasl      credentials for SMTP AUTH at this host (Postfix smtp_sasl_password_maps); empty
 *                  for none. Sent only inside TLS.
 */
public record SmtpClientConfig(String heloName, SmtpTimeouts timeouts, TlsPolicy tlsPolicy, Protocol protocol,
                               TlsClient tlsClient, Optional<InetAddress> sourceAddress,
                               Optional<SaslCredentials> sasl) {

    /** The dialect spoken: LMTP differs in its greeting command and in its replies after DATA. */
    public enum Protocol { SMTP, LMTP }

    public SmtpClientConfig(String heloName, SmtpTimeouts timeouts, TlsPolicy tlsPolicy) {
        this(heloName, timeouts, tlsPolicy, Protocol.SMTP);
    }

    /** Trusting the JDK's default trust store. */
    public SmtpClientConfig(String heloName, SmtpTimeouts timeouts, TlsPolicy tlsPolicy, Protocol protocol) {
        this(heloName, timeouts, tlsPolicy, protocol, TlsClient.jdkDefaults(), Optional.empty(), Optional.empty());
    }

    public SmtpClientConfig {
        Objects.requireNonNull(heloName, "heloName");
        // It goes on the wire verbatim: reject CR, LF and anything else that would end or split
        // the EHLO command (command injection).
        if (heloName.isEmpty() || heloName.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("heloName must be printable ASCII without spaces: " + heloName);
        }
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(tlsClient, "tlsClient");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(sasl, "sasl");
    }

    /** RFC 5321 timeouts and opportunistic TLS. */
    public static SmtpClientConfig defaults(String heloName) {
        return new SmtpClientConfig(heloName, SmtpTimeouts.rfc5321(), TlsPolicy.MAY);
    }

    public SmtpClientConfig withTimeouts(SmtpTimeouts timeouts) {
        return new SmtpClientConfig(heloName, timeouts, tlsPolicy, protocol, tlsClient, sourceAddress, sasl);
    }

    public SmtpClientConfig withTlsPolicy(TlsPolicy tlsPolicy) {
        return new SmtpClientConfig(heloName, timeouts, tlsPolicy, protocol, tlsClient, sourceAddress, sasl);
    }

    public SmtpClientConfig withTlsClient(TlsClient tlsClient) {
        return new SmtpClientConfig(heloName, timeouts, tlsPolicy, protocol, tlsClient, sourceAddress, sasl);
    }

    public SmtpClientConfig withProtocol(Protocol protocol) {
        return new SmtpClientConfig(heloName, timeouts, tlsPolicy, protocol, tlsClient, sourceAddress, sasl);
    }

    public SmtpClientConfig withHeloName(String heloName) {
        return new SmtpClientConfig(heloName, timeouts, tlsPolicy, protocol, tlsClient, sourceAddress, sasl);
    }

    public SmtpClientConfig withSourceAddress(Optional<InetAddress> sourceAddress) {
        return new SmtpClientConfig(heloName, timeouts, tlsPolicy, protocol, tlsClient, sourceAddress, sasl);
    }

    public SmtpClientConfig withSasl(Optional<SaslCredentials> sasl) {
        return new SmtpClientConfig(heloName, timeouts, tlsPolicy, protocol, tlsClient, sourceAddress, sasl);
    }
}

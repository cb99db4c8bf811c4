package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResolver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Plays one ARC intermediary after another: validate, add our Authentication-Results, seal. */
final class ArcHops {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    static final List<String> SIGNED = List.of("from", "to", "subject", "date", "message-id", "dkim-signature");

    private final DnsResolver dns;

    ArcHops(DnsResolver dns) {
        this.dns = dns;
    }

    DnsResolver dns() {
        return dns;
    }

    ArcValidation validate(byte[] message) {
        return new ArcValidator(dns, CLOCK, ArcSettings.defaults()).validate(RawMessage.parse(message));
    }

    /** One hop: validates, then seals with {@code key}; the result must be a new set. */
    byte[] hop(byte[] message, String authservId, ArcSigningKey key) {
        ArcValidation incoming = validate(message);
        String results = authservId + "; arc=" + incoming.status().cvValue() + "; dkim=pass header.d=football.example.com";
        byte[] withResults = ("Authentication-Results: " + results + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] marked = concat(withResults, message);
        SealOutcome outcome = new ArcSealer(key, CLOCK).seal(RawMessage.parse(marked), authservId, results, incoming, SIGNED);
        assertThat(outcome).isInstanceOf(SealOutcome.Sealed.class);
        return ((SealOutcome.Sealed) outcome).headers().prependTo(marked);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] replace(byte[] message, String from, String to) {
        String text = new String(message, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }
}

package io.postbus.loadtest.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyLookup;
import io.postbus.auth.message.HeaderField;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JMH set is runnable as {@code java -cp ... org.openjdk.jmh.Main}: the annotation processor wrote the
 * benchmark list, and every fixture measures the path it claims (a signature that verifies, RFC 6376 §6.1).
 */
class BenchmarksTest {

    @Test
    void theAnnotationProcessorListedEveryBenchmark() throws Exception {
        String list;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList on the class path").isNotNull();
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(list).contains("DkimSignBenchmark_sign", "DkimVerifyBenchmark_verify",
                "DkimKeyLookupBenchmark_keyLookup", "MessageParseBenchmark_parse_", "MessageParseBenchmark_parseAndBodyHash",
                "SignaturePrimitiveBenchmark_sign", "SignaturePrimitiveBenchmark_verify",
                "AvroCodecBenchmark_encode", "AvroCodecBenchmark_decode", "SmtpParseBenchmark_commands", "SmtpParseBenchmark_data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-sha256", "ed25519-sha256"})
    void eachFixtureSignsAndTheSignatureVerifies(String algorithm) throws Exception {
        DkimFixture f = DkimFixture.create(algorithm, 5120);
        DkimSignBenchmark sign = new DkimSignBenchmark();
        sign.algorithm = algorithm;
        sign.bodySize = 5120;
        sign.setUp();
        assertThat(sign.sign()).singleElement().extracting(HeaderField::unfoldedValue).asString()
                .contains("a=" + algorithm, "c=relaxed/relaxed", "d=example.com", "s=bench");

        DkimVerifyBenchmark verify = new DkimVerifyBenchmark();
        verify.algorithm = algorithm;
        verify.bodySize = 5120;
        verify.setUp(); // throws unless the signed message verifies
        assertThat(verify.verify()).singleElement().satisfies(r -> assertThat(r.passed()).isTrue());
        DkimFixture.requirePass(new DkimVerifier(new KeyLookup(f.dns), Clock.systemUTC(), DkimVerifier.Settings.defaults()),
                f.signedMessage(Clock.systemUTC()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-sha256/JDK", "rsa-sha256/BC", "ed25519-sha256/JDK", "ed25519-sha256/BC"})
    void eachProviderVerifiesWhatItSigned(String algorithmAndProvider) throws Exception {
        SignaturePrimitiveBenchmark b = new SignaturePrimitiveBenchmark();
        b.algorithm = algorithmAndProvider.split("/")[0];
        b.provider = algorithmAndProvider.split("/")[1];
        b.setUp(); // throws unless the signature verifies
        assertThat(b.sign()).hasSize(b.algorithm.startsWith("rsa") ? 256 : 64);
        assertThat(b.verify()).isTrue();
    }

    /** Each pipeline record encodes and decodes back to itself; the two carrying the message are larger than it. */
    @ParameterizedTest
    @ValueSource(strings = {"ReceivedMail", "DeliveryJob", "LifecycleEvent"})
    void eachPipelineRecordRoundTrips(String record) {
        AvroCodecBenchmark b = new AvroCodecBenchmark();
        b.record = record;
        b.bodySize = 5120;
        b.setUp(); // throws unless decode(encode(r)) equals r
        assertThat(b.decode()).isEqualTo(b.decode());
        assertThat(b.encode()).hasSize(b.encodedBytes());
        if (record.equals("LifecycleEvent")) {
            assertThat(b.encodedBytes()).isBetween(50, 1000);
        } else {
            assertThat(b.encodedBytes()).isGreaterThan(5120);
        }
    }

    /** RFC 5321 §4.1.1: the transaction's commands parse as what they are; DATA gives back the message, dot-unstuffed. */
    @Test
    void theSmtpParseBenchmarkParsesACleanTransaction() {
        SmtpParseBenchmark b = new SmtpParseBenchmark();
        b.bodySize = 5120;
        b.setUp();
        assertThat(b.parseTransaction()).extracting(c -> c.getClass().getSimpleName()).containsExactly("Mail", "Rcpt", "Data");
        byte[] message = b.data();
        assertThat(message.length).isGreaterThan(5120);
        assertThat(new String(message, StandardCharsets.US_ASCII)).startsWith("Received: ").endsWith("\r\n");
    }

    @Test
    void theBaselineHashesTheWholeBody() {
        MessageParseBenchmark b = new MessageParseBenchmark();
        b.bodySize = 102_400;
        b.setUp();
        assertThat(b.parse().bodyLength()).isBetween(102_400 - 78, 102_400 + 78);
        assertThat(b.parseAndBodyHash().canonicalLength()).isGreaterThan(100_000);
    }
}

package io.postbus.delivery.dane;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.TlsaRecord;
import io.postbus.delivery.dane.DaneVerdict.Result;
import io.postbus.delivery.dane.TlsaParameters.MatchingType;
import io.postbus.delivery.smtp.TestPki;
import io.postbus.testkit.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 7672 §3.1 certificate matching, with real certificates from a throw-away CA. */
class DaneVerifierTest {
    private static TestPki ca;
    private static TestPki otherCa;
    private static final Instant NOW = Instant.now();

    @BeforeAll
    static void pki() {
        ca = TestPki.create("DANE Test CA");
        otherCa = TestPki.create("Other CA");
    }

    static TlsaRecord record(int usage, int selector, int matching, X509Certificate cert) throws Exception {
        byte[] selected = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        return new TlsaRecord(usage, selector, matching,
                DaneVerifier.associationData(selected, TlsaParameters.MatchingType.values()[matching]));
    }

    static DaneTrust trust(List<String> names, TlsaRecord... records) {
        return new DaneTrust("_25._tcp.mx.example.test", UsableTlsa.usable(List.of(records)), names);
    }

    private static DaneVerdict verify(TestPki.Identity server, List<String> names, TlsaRecord... records) {
        return DaneVerifier.verify(server.chain(), trust(names, records), NOW);
    }

    @Test
    void rfc7672Section311DaneEeMatchesTheKeyWithoutNameOrExpiryChecks() throws Exception {
        TestPki.Identity expiredWrongName = otherCa.issueExpired("not-the-mx.example.org");
        DaneVerdict v = verify(expiredWrongName, List.of("mx.example.test"),
                record(3, 1, 1, expiredWrongName.certificate()));
        assertThat(v.result()).isEqualTo(Result.DANE_EE_MATCHED);
        assertThat(v.matched().get().describe()).startsWith("DANE-EE(3) SPKI(1) SHA2-256(1) ");
    }

    @Test
    void rfc6698Section21EverySelectorAndMatchingTypeMatches() throws Exception {
        TestPki.Identity server = ca.issue("mx.example.test");
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                assertThat(verify(server, List.of("x.test"), record(3, selector, matching, server.certificate())).result())
                        .as("3 %d %d", selector, matching).isEqualTo(Result.DANE_EE_MATCHED);
            }
        }
    }

    @Test
    void aDaneEeRecordForAnotherKeyDoesNotMatch() throws Exception {
        TestPki.Identity server = ca.issue("mx.example.test");
        TestPki.Identity other = ca.issue("mx.example.test");
        DaneVerdict v = verify(server, List.of("mx.example.test"), record(3, 1, 1, other.certificate()));
        assertThat(v.result()).isEqualTo(Result.NO_MATCHING_TLSA);
        assertThat(v.authenticated()).isFalse();
        assertThat(v.detail()).contains("_25._tcp.mx.example.test");
    }

    @Test
    void daneEeDoesNotMatchTheIssuer() throws Exception {
        // RFC 7672 §3.1.1: DANE-EE is about the end entity only; a "3" record of the CA proves nothing.
        TestPki.Identity server = ca.issue("mx.example.test");
        assertThat(verify(server, List.of("mx.example.test"), record(3, 0, 1, ca.caCertificate())).result())
                .isEqualTo(Result.NO_MATCHING_TLSA);
    }

    @Test
    void rfc7672Section312DaneTaAnchorsTheChainAndTheLeafMustNameTheMxHost() throws Exception {
        TestPki.Identity server = ca.issue("mx.example.test");
        DaneVerdict v = verify(server, List.of("mx.example.test"), record(2, 0, 1, ca.caCertificate()));
        assertThat(v.result()).isEqualTo(Result.DANE_TA_MATCHED);
        assertThat(v.detail()).contains("names mx.example.test");
        assertThat(verify(server, List.of("mx.example.test"), record(2, 1, 2, ca.caCertificate())).result())
                .as("the TA's key, SHA-512").isEqualTo(Result.DANE_TA_MATCHED);
    }

    @Test
    void rfc7672Section322TheNextHopDomainIsAReferenceIdentifierToo() throws Exception {
        TestPki.Identity server = ca.issue("example.test");
        assertThat(verify(server, List.of("mx.example.test", "example.test"), record(2, 0, 1, ca.caCertificate())).result())
                .isEqualTo(Result.DANE_TA_MATCHED);
        assertThat(verify(server, List.of("mx.example.test"), record(2, 0, 1, ca.caCertificate())).result())
                .as("without a secure MX RRset only the host name counts")
                .isEqualTo(Result.REFERENCE_IDENTIFIER_MISMATCH);
    }

    @Test
    void rfc7672Section323AWildcardCoversOneLabel() throws Exception {
        TestPki.Identity server = ca.issue("*.example.test");
        assertThat(verify(server, List.of("mx.example.test"), record(2, 0, 1, ca.caCertificate())).result())
                .isEqualTo(Result.DANE_TA_MATCHED);
        assertThat(verify(server, List.of("a.mx.example.test"), record(2, 0, 1, ca.caCertificate())).result())
                .isEqualTo(Result.REFERENCE_IDENTIFIER_MISMATCH);
    }

    @Test
    void daneTaWithAnExpiredLeafIsAnInvalidChain() throws Exception {
        TestPki.Identity expired = ca.issueExpired("mx.example.test");
        DaneVerdict v = verify(expired, List.of("mx.example.test"), record(2, 0, 1, ca.caCertificate()));
        assertThat(v.result()).isEqualTo(Result.DANE_TA_CHAIN_INVALID);
        assertThat(v.matched()).isEmpty();
    }

    @Test
    void daneTaForACaNotInTheChainDoesNotMatch() throws Exception {
        TestPki.Identity server = ca.issue("mx.example.test");
        assertThat(verify(server, List.of("mx.example.test"), record(2, 0, 1, otherCa.caCertificate())).result())
                .isEqualTo(Result.NO_MATCHING_TLSA);
    }

    @Test
    void aLeafSignedByAnotherCaDoesNotChainToTheMatchedAnchor() throws Exception {
        // The server sends our CA's certificate after a leaf the other CA signed: the TA matches, the path does not.
        TestPki.Identity foreign = otherCa.issue("mx.example.test");
        List<X509Certificate> chain = List.of(foreign.certificate(), ca.caCertificate());
        DaneVerdict v = DaneVerifier.verify(chain, trust(List.of("mx.example.test"), record(2, 0, 1, ca.caCertificate())), NOW);
        assertThat(v.result()).isEqualTo(Result.DANE_TA_CHAIN_INVALID);
    }

    @Test
    void anyMatchingRecordOfTheSetAuthenticates() throws Exception {
        TestPki.Identity server = ca.issue("mx.example.test");
        TestPki.Identity next = ca.issue("mx.example.test");
        // RFC 7671 §8.1 key rollover: current and next key published together.
        DaneVerdict v = verify(server, List.of("mx.example.test"), record(3, 1, 1, next.certificate()),
                record(3, 1, 1, server.certificate()));
        assertThat(v.result()).isEqualTo(Result.DANE_EE_MATCHED);
        assertThat(v.matched().get().record()).isEqualTo(record(3, 1, 1, server.certificate()));
    }

    @Test
    void noCertificateIsItsOwnVerdict() {
        assertThat(DaneVerifier.verify(List.of(), trust(List.of("mx.example.test"),
                new TlsaRecord(3, 1, 1, new byte[32])), NOW).result()).isEqualTo(Result.NO_CERTIFICATE);
    }

    @Test
    void rfc7672Section313PkixUsagesAndUnknownParametersAreUnusable() {
        byte[] sha256 = new byte[32];
        assertThat(UsableTlsa.of(new TlsaRecord(0, 0, 1, sha256))).as("PKIX-TA").isEmpty();
        assertThat(UsableTlsa.of(new TlsaRecord(1, 1, 1, sha256))).as("PKIX-EE").isEmpty();
        assertThat(UsableTlsa.of(new TlsaRecord(4, 1, 1, sha256))).as("unknown usage").isEmpty();
        assertThat(UsableTlsa.of(new TlsaRecord(3, 2, 1, sha256))).as("unknown selector").isEmpty();
        assertThat(UsableTlsa.of(new TlsaRecord(3, 1, 3, sha256))).as("unknown matching type").isEmpty();
        assertThat(UsableTlsa.of(new TlsaRecord(3, 1, 2, sha256))).as("SHA-512 needs 64 octets").isEmpty();
        assertThat(UsableTlsa.of(new TlsaRecord(3, 1, 1, new byte[31]))).as("truncated digest").isEmpty();
        assertThat(UsableTlsa.of(new TlsaRecord(2, 1, 1, sha256))).isPresent();
        assertThat(UsableTlsa.of(new TlsaRecord(3, 0, 0, new byte[5]))).as("Full: any length").isPresent();
    }

    /** A second opinion on the association data: openssl computes "3 1 1" and "3 0 1" as postmasters do. */
    @Test
    void associationDataAgreesWithOpenssl(@TempDir Path dir) throws Exception {
        ExternalTool.require("openssl");
        X509Certificate cert = ca.issue("mx.example.test").certificate();
        Path pem = dir.resolve("cert.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        String spki = openssl(dir, "openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform DER"
                + " | openssl dgst -sha256 -r");
        String full = openssl(dir, "openssl x509 -in cert.pem -outform DER | openssl dgst -sha256 -r");
        assertThat(HexFormat.of().formatHex(DaneVerifier.associationData(cert.getPublicKey().getEncoded(),
                MatchingType.SHA2_256))).isEqualTo(spki);
        assertThat(HexFormat.of().formatHex(DaneVerifier.associationData(cert.getEncoded(), MatchingType.SHA2_256)))
                .isEqualTo(full);
    }

    private static String openssl(Path dir, String pipeline) {
        var r = ExternalTool.run(Duration.ofSeconds(20), List.of("sh", "-c", "cd '" + dir + "' && " + pipeline));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout().trim().split("\\s+")[0];
    }
}

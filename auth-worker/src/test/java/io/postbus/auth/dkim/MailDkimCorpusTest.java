package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Mail::DKIM's verifier corpus (conformance README §6) with FAKE_DNS.dat and expectations.json. Mail::DKIM's
 * overall result is the best signature's: pass, else fail (a cryptographic or body-hash mismatch), else
 * invalid (anything unusable); ours is mapped the same way (FAIL → fail, every error verdict → invalid).
 */
class MailDkimCorpusTest {
    static final Path DIR = Conformance.path("perl-mail-dkim");
    static final Clock NOW = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    static TestDns fakeDns() {
        TestDns dns = new TestDns();
        for (String line : Conformance.read(DIR.resolve("FAKE_DNS.dat")).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            String[] nv = l.split("\\s+", 2);
            String value = nv.length > 1 ? nv[1] : "";
            if (value.equals("NXDOMAIN")) {
                continue; // absent from the zone: NXDOMAIN
            } else if (value.startsWith("~~")) {
                dns.failure(nv[0], value.contains("SERVFAIL") ? DnsResult.Failure.Kind.SERVFAIL : DnsResult.Failure.Kind.TIMEOUT);
            } else {
                dns.txt(nv[0], value.equals("\"\"") ? "" : value);
            }
        }
        return dns;
    }

    static String overall(List<DkimResult> results) {
        if (results.stream().anyMatch(r -> r.verdict() == DkimVerdict.PASS)) {
            return "pass";
        }
        if (results.stream().anyMatch(r -> r.verdict() == DkimVerdict.FAIL)) {
            return "fail";
        }
        return results.stream().allMatch(r -> r.verdict() == DkimVerdict.NONE) ? "none" : "invalid";
    }

    static final String NO_V = "draft-era signature without v= (RFC 6376 §3.5 makes v= required; §6.1.1: PERMFAIL"
            + " (signature missing required tag); OpenDKIM ignores these signatures too)";
    static final String V05 = "draft-era v=0.5 (RFC 6376 §6.1.1: PERMFAIL (incompatible version)) and rsa-sha1";
    static final String SHA1 = "rsa-sha1 (RFC 8301 §3.1: verifiers MUST NOT consider it valid)";

    /**
     * Files where an RFC 6376 + RFC 8301 verifier must answer differently from 2009's Mail::DKIM, with the
     * reason. Every one of them must come out as not-pass; the signatures are refused before cryptography,
     * so Mail::DKIM's "fail" ones come out "invalid" here.
     */
    static final Map<String, String> DIFFERENCES = Map.ofEntries(
            Map.entry("mine_ietf01_1.txt", NO_V + "; also rsa-sha1"),
            Map.entry("mine_ietf01_2.txt", NO_V + "; also rsa-sha1"),
            Map.entry("mine_ietf01_3.txt", NO_V),
            Map.entry("mine_ietf01_4.txt", NO_V),
            Map.entry("good_ietf01_1.txt", NO_V + "; also a 768-bit key (RFC 8301 §3.2)"),
            Map.entry("good_ietf01_2.txt", NO_V + "; also rsa-sha1 and a 768-bit key"),
            Map.entry("multiple_1.txt", NO_V + " (all four signatures); also 768-bit keys"),
            Map.entry("bad_ietf01_1.txt", NO_V + "; so invalid, not fail"),
            Map.entry("bad_ietf01_2.txt", NO_V + "; so invalid, not fail"),
            Map.entry("bad_ietf01_3.txt", NO_V + "; so invalid, not fail"),
            Map.entry("bad_1.txt", NO_V + "; so invalid, not fail"),
            Map.entry("mine_ietf05_1.txt", V05),
            Map.entry("no_body_1.txt", V05),
            Map.entry("no_body_2.txt", V05),
            Map.entry("no_body_3.txt", V05),
            Map.entry("good_rfc4871_3.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("good_rfc4871_4.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("good_1878523.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("good_83176.txt", SHA1),
            Map.entry("multiple_2.txt", SHA1 + " (three signatures; the fourth has a syntax error)"),
            Map.entry("good_qp_1.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("good_qp_2.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("good_qp_3.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("goodkey_1.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("goodkey_2.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("goodkey_3.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("goodkey_4.txt", SHA1 + "; also a 512-bit key"),
            Map.entry("bad_1878954.txt", SHA1 + "; so invalid, not fail"));

    @Test
    void theCorpusAgreesWithMailDkimExceptWhereLaterRfcsDisagree() throws Exception {
        JsonNode expectations = new ObjectMapper().readTree(DIR.resolve("expectations.json").toFile());
        DkimVerifier verifier = new DkimVerifier(fakeDns().resolver(), NOW, DkimVerifier.Settings.defaults());
        int agreed = 0;
        int differed = 0;
        int domainKeys = 0;
        int preStandard = 0;
        int total = 0;
        Map<String, String> unexpected = new TreeMap<>();
        List<String> table = new ArrayList<>();
        for (JsonNode c : expectations.get("cases")) {
            total++;
            String file = c.get("file").asText();
            String name = Path.of(file).getFileName().toString();
            List<DkimResult> results = verifier.verify(RawMessage.parse(Conformance.crlf(DIR.resolve(file))));
            String ours = overall(results);
            String expected = c.get("expected_mail_dkim").asText();
            table.add(String.format("%-22s mail-dkim=%-7s postbus=%-7s %s", name, expected, ours,
                    results.stream().map(r -> r.verdict().token() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")")).toList()));
            if (c.get("domainkeys_only").asBoolean()) {
                // RFC 4870 DomainKeys (historic) is out of scope: such a message is simply not DKIM-signed.
                domainKeys++;
                check(unexpected, name, ours.equals("none"), "DomainKeys-only message should get none, got " + ours);
            } else if (!c.get("skipped_upstream").isNull()) {
                // Pre-standard (ietf00: no bh=) signatures, which Mail::DKIM's own test run skips.
                preStandard++;
                check(unexpected, name, !ours.equals("pass"), "pre-standard signature must not pass");
            } else if (DIFFERENCES.containsKey(name)) {
                differed++;
                check(unexpected, name, !ours.equals("pass"), DIFFERENCES.get(name) + ": must not pass");
                check(unexpected, name, !ours.equals(expected), "listed as a difference but agrees: remove it from the list");
            } else {
                agreed++;
                check(unexpected, name, ours.equals(expected), "expected " + expected + ", got " + ours);
            }
        }
        table.forEach(System.out::println);
        System.out.printf("perl-mail-dkim corpus: %d/%d agree with Mail::DKIM; %d differ for RFC reasons (listed);"
                + " %d DomainKeys-only (none); %d pre-standard (not pass); %d in all%n",
                agreed, agreed + differed, differed, domainKeys, preStandard, total);
        assertThat(unexpected).isEmpty();
        assertThat(total).isEqualTo(79);
        assertThat(agreed).isEqualTo(29);
        assertThat(differed).isEqualTo(DIFFERENCES.size());
    }

    private static void check(Map<String, String> problems, String name, boolean ok, String message) {
        if (!ok) {
            problems.put(name, message);
        }
    }
}

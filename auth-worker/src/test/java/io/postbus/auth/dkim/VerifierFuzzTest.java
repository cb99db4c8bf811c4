package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.postbus.auth.dkim.keys.KeyFileException;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a message, a DKIM-Signature or a key record contains, the verifier answers with one
 * typed result per signature and never throws, and the signature parser throws nothing but
 * MalformedTagListException. Mutations are seeded, so a failure names the seed that reproduces it.
 */
class VerifierFuzzTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    static final byte[] ALPHABET = ";=:,@.-_/+ \t\r\n\r\nbhdsviaxtlqczBH019AZ\"()<>\\\0\u007f".getBytes(StandardCharsets.ISO_8859_1);
    /** RFC 8463 Appendix A's keys: both algorithms are deterministic, so a seed reproduces a run exactly. */
    static final PrivateKey ED_KEY;
    static final PrivateKey RSA_KEY;
    static final String ED_RECORD = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    static final String RSA_RECORD = Conformance.read(Conformance.path("dkimpy", "data", "test.txt")).strip();
    static final String SIGNED;

    static {
        try {
            ED_KEY = PrivateKeyFiles.read(Conformance.path("rfc8463-appendix-a", "ed25519-private-seed.b64"));
            RSA_KEY = PrivateKeyFiles.read(Conformance.path("rfc8463-appendix-a", "rsa-private.pem"));
        } catch (KeyFileException e) {
            throw new ExceptionInInitializerError(e);
        }
        String once = Crafted.signed(Messages.UNTIDY, ED_KEY,
                "v=1; a=ed25519-sha256; c=relaxed/simple; d=example.com; s=ed; i=joe@mail.example.com; t=1714550000;"
                        + " x=1914550000; h=from:from:to:subject:date");
        SIGNED = Crafted.signed(once, RSA_KEY,
                "v=1; a=rsa-sha256; c=simple/relaxed; d=example.com; s=rsa; l=20; h=from:to:subject:received");
    }

    @Test
    void theUnmutatedMessagePasses() {
        assertThat(verify(SIGNED.getBytes(StandardCharsets.UTF_8), ED_RECORD, RSA_RECORD))
                .extracting(DkimResult::verdict).containsExactly(DkimVerdict.PASS, DkimVerdict.PASS);
    }

    @Test
    void mutatedMessagesNeverThrow() {
        Map<DkimVerdict, Integer> seen = new EnumMap<>(DkimVerdict.class);
        byte[] original = SIGNED.getBytes(StandardCharsets.UTF_8);
        for (long seed = 0; seed < 3000; seed++) {
            byte[] mutated = mutate(original, new Random(seed), 1 + (int) (seed % 6));
            tally(seen, seed, verify(mutated, ED_RECORD, RSA_RECORD));
        }
        System.out.println("fuzz messages: " + seen);
        assertThat(seen).containsKeys(DkimVerdict.PASS, DkimVerdict.FAIL, DkimVerdict.PERMERROR);
    }

    @Test
    void mutatedSignatureFieldsNeverThrowFromParserOrVerifier() {
        Map<DkimVerdict, Integer> seen = new EnumMap<>(DkimVerdict.class);
        RawMessage message = RawMessage.parse(SIGNED.getBytes(StandardCharsets.UTF_8));
        for (long seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            HeaderField original = message.headers("DKIM-Signature").get(random.nextInt(2));
            byte[] field = mutate(original.raw(), random, 1 + random.nextInt(4));
            byte[] rebuilt = withFirstField(field, SIGNED.getBytes(StandardCharsets.UTF_8));
            RawMessage m = RawMessage.parse(rebuilt);
            for (HeaderField f : m.headers("DKIM-Signature")) {
                try {
                    DkimSignature.parse(f);
                } catch (MalformedTagListException expected) {
                    // the documented way to refuse
                } catch (RuntimeException e) {
                    fail("seed " + seed + ": DkimSignature.parse threw " + e + " for " + f);
                }
            }
            tally(seen, seed, verify(rebuilt, ED_RECORD, RSA_RECORD));
        }
        System.out.println("fuzz signatures: " + seen);
        assertThat(seen).containsKeys(DkimVerdict.PASS, DkimVerdict.PERMERROR);
    }

    @Test
    void mutatedKeyRecordsNeverThrow() {
        Map<DkimVerdict, Integer> seen = new EnumMap<>(DkimVerdict.class);
        byte[] message = SIGNED.getBytes(StandardCharsets.UTF_8);
        for (long seed = 0; seed < 2000; seed++) {
            Random random = new Random(seed);
            String ed = new String(mutate(ED_RECORD.getBytes(StandardCharsets.US_ASCII), random, 1 + random.nextInt(3)),
                    StandardCharsets.ISO_8859_1);
            String rsa = new String(mutate(RSA_RECORD.getBytes(StandardCharsets.US_ASCII), random, 1 + random.nextInt(3)),
                    StandardCharsets.ISO_8859_1);
            tally(seen, seed, verify(message, ed, rsa));
        }
        System.out.println("fuzz key records: " + seen);
        assertThat(seen).containsKeys(DkimVerdict.PASS, DkimVerdict.PERMERROR);
    }

    @Test
    void theSignerNeverThrowsButForAMissingFrom() {
        DkimSigner signer = new DkimSigner(List.of(DkimSigningKey.of("example.com", "ed", ED_KEY)),
                DkimSigner.Settings.defaults(), NOW);
        int signed = 0;
        for (long seed = 0; seed < 1000; seed++) {
            byte[] mutated = mutate(Messages.bytes(Messages.UNTIDY), new Random(seed), 1 + (int) (seed % 8));
            try {
                List<HeaderField> fields = signer.sign(RawMessage.parse(mutated));
                assertThat(verify(DkimSigner.prepend(fields, mutated), ED_RECORD, RSA_RECORD).get(0).verdict())
                        .as("seed %d: what we sign verifies", seed).isEqualTo(DkimVerdict.PASS);
                signed++;
            } catch (DkimSigner.UnsignableMessageException e) {
                assertThat(RawMessage.parse(mutated).headers("From")).isEmpty();
            } catch (RuntimeException e) {
                fail("seed " + seed + ": signer threw " + e);
            }
        }
        assertThat(signed).isGreaterThan(500);
    }

    static void tally(Map<DkimVerdict, Integer> seen, long seed, List<DkimResult> results) {
        assertThat(results).as("seed %d", seed).isNotEmpty().doesNotContainNull();
        for (DkimResult r : results) {
            assertThat(r.reason()).as("seed %d", seed).doesNotStartWith("internal error");
            seen.merge(r.verdict(), 1, Integer::sum);
        }
    }

    static List<DkimResult> verify(byte[] message, String edRecord, String rsaRecord) {
        try {
            return new DkimVerifier(new FixedTxt(edRecord, rsaRecord), NOW, DkimVerifier.Settings.defaults())
                    .verify(RawMessage.parse(message));
        } catch (RuntimeException e) {
            throw new AssertionError("the verifier threw for:\n" + new String(message, StandardCharsets.ISO_8859_1), e);
        }
    }

    /** Flips, inserts, deletes and duplicates bytes; favours the characters DKIM's syntax is made of. */
    static byte[] mutate(byte[] input, Random random, int times) {
        byte[] b = input;
        for (int i = 0; i < times && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 16);
            switch (random.nextInt(5)) {
                case 0 -> {
                    b = b.clone();
                    b[at] = pick(random);
                    continue;
                }
                case 1 -> {
                    out.write(b, 0, at);
                    out.write(pick(random));
                    out.write(b, at, b.length - at);
                }
                case 2 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(12));
                    out.write(b, 0, at);
                    out.write(b, at + len, b.length - at - len);
                }
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(40));
                    out.write(b, 0, at + len);
                    out.write(b, at, b.length - at);
                }
                default -> out.write(b, 0, at); // truncation
            }
            b = out.toByteArray();
        }
        return b;
    }

    static byte pick(Random random) {
        return random.nextInt(4) == 0 ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
    }

    static byte[] withFirstField(byte[] field, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + field.length);
        out.writeBytes(field);
        out.writeBytes(message);
        return out.toByteArray();
    }

    /**
     * Answers the two key names with whatever text the test made, including bytes no zone file could hold
     * (which is why this is not a ZoneFileResolver); every other name is NXDOMAIN.
     */
    record FixedTxt(String ed, String rsa) implements DnsResolver {
        @Override
        public DnsResult<List<String>> txt(String name) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if (n.equals("ed._domainkey.example.com")) {
                return DnsResult.answer(List.of(ed));
            }
            if (n.equals("rsa._domainkey.example.com")) {
                return DnsResult.answer(List.of(rsa));
            }
            return new DnsResult.NxDomain<>(name);
        }

        @Override
        public DnsResult<List<MxRecord>> mx(String name) {
            return new DnsResult.NxDomain<>(name);
        }

        @Override
        public DnsResult<List<InetAddress>> a(String name) {
            return new DnsResult.NxDomain<>(name);
        }

        @Override
        public DnsResult<List<InetAddress>> aaaa(String name) {
            return new DnsResult.NxDomain<>(name);
        }

        @Override
        public DnsResult<List<String>> ptr(InetAddress address) {
            return new DnsResult.NxDomain<>(address.getHostAddress());
        }
    }
}

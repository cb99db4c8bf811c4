package io.postbus.auth.dkim.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.Canonicalization;
import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the two DKIM implementations everyone else uses, offline: Postbus-signed mail verified by
 * dkimpy (python3-dkim, DNS answered by a dnsfunc from our key records) and by OpenDKIM ({@code opendkim -t}
 * test mode with TestPublicKeys), and dkimpy-signed mail verified by Postbus. RSA and Ed25519, every
 * canonicalization. Keys come from {@link DkimKeyGenerator}, so its files and TXT records are tried too.
 */
class DkimInteropTest {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String DOMAIN = "interop.example";
    static final String MESSAGE = """
            Received: from mx.example.net by mx.interop.example;\r
            \tFri, 11 Jul 2003 21:01:00 -0700\r
            From:   "Joe  SixPack"   <joe@interop.example>  \r
            To: Suzie Q\r
             <suzie@shopping.example.net>\r
            Subject:\tIs dinner\t ready?\r
            Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r
            Message-ID: <20030712040037.46341.5F8J@interop.example>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Hi.  \t\r
            \r
            Caf\u00e9 at  eight?\r
            \r
            \r
            """;

    /**
     * OpenDKIM's test mode (-t) hands headers to its milter code the way an MTA does, value without the white
     * space after the colon, and puts back a single space: "Subject:\tIs" reaches the simple canonicalization as
     * "Subject: Is". Mail whose fields start with anything but one space then fails c=simple/... in test mode
     * whoever signed it (dkimpy's signature included, see the control below), so OpenDKIM gets the same
     * message with one space after each colon; folding, inner and trailing white space stay untidy.
     */
    static final String OPENDKIM_MESSAGE = MESSAGE.replace("From:   ", "From: ").replace("Subject:\t", "Subject: ");

    @TempDir
    static Path dir;
    static Map<String, DkimSigningKey> keys = new LinkedHashMap<>();
    static Map<String, String> records = new LinkedHashMap<>();
    static Path recordsJson;
    static Path openDkimConf;
    static Path ed25519Seed;
    static Path python;

    @BeforeAll
    static void setUp() throws Exception {
        python = dkimpyInterpreter();
        ExternalTool.require("opendkim");
        DkimKeyGenerator generator = new DkimKeyGenerator();
        for (KeyType type : KeyType.values()) {
            String selector = "pb-" + type.tagValue();
            DkimKeyGenerator.GeneratedKey g = generator.generate(type, 2048, DOMAIN, selector, dir.resolve(selector + ".pem"));
            PrivateKey key = PrivateKeyFiles.read(g.privateKeyFile());
            keys.put(type.tagValue(), DkimSigningKey.of(DOMAIN, selector, key));
            records.put(selector + "._domainkey." + DOMAIN, g.txtValue());
            if (type == KeyType.ED25519) {
                ed25519Seed = dir.resolve("ed25519.seed");
                Files.writeString(ed25519Seed, Base64.getEncoder().encodeToString(((EdECPrivateKey) key).getBytes().orElseThrow()));
            }
        }
        StringBuilder json = new StringBuilder("{");
        StringBuilder testKeys = new StringBuilder();
        for (Map.Entry<String, String> r : records.entrySet()) {
            json.append(json.length() > 1 ? "," : "").append('"').append(r.getKey()).append("\":\"").append(r.getValue()).append('"');
            testKeys.append(r.getKey()).append(' ').append(r.getValue()).append('\n');
        }
        recordsJson = Files.writeString(dir.resolve("records.json"), json.append('}').toString());
        Path publicKeys = Files.writeString(dir.resolve("test-public-keys"), testKeys.toString());
        openDkimConf = Files.writeString(dir.resolve("opendkim.conf"),
                "Mode v\nSyslog no\nMinimumKeyBits 1024\nTestPublicKeys " + publicKeys + "\n");
    }

    @Test
    void postbusSignedMailVerifiesWithDkimpyAndOpenDkim() throws Exception {
        List<String> outcomes = new ArrayList<>();
        int dkimpyPass = 0;
        int openDkimPass = 0;
        int runs = 0;
        for (String alg : keys.keySet()) {
            for (Canonicalization h : Canonicalization.values()) {
                for (Canonicalization b : Canonicalization.values()) {
                    List<Boolean> py = dkimpyVerify(postbusSigned(MESSAGE, List.of(keys.get(alg)), h, b));
                    List<String> od = openDkimVerify(postbusSigned(OPENDKIM_MESSAGE, List.of(keys.get(alg)), h, b));
                    outcomes.add(alg + " " + h.tagValue() + "/" + b.tagValue() + ": dkimpy=" + py + " opendkim=" + od);
                    runs++;
                    dkimpyPass += py.equals(List.of(true)) ? 1 : 0;
                    openDkimPass += od.equals(List.of("pass")) ? 1 : 0;
                }
            }
        }
        outcomes.forEach(System.out::println);
        System.out.printf("interop: Postbus-signed verified by dkimpy %d/%d, by OpenDKIM %d/%d%n", dkimpyPass, runs, openDkimPass, runs);
        assertThat(runs).isEqualTo(8);
        assertThat(dkimpyPass).as(String.join("\n", outcomes)).isEqualTo(8);
        assertThat(openDkimPass).as(String.join("\n", outcomes)).isEqualTo(8);
    }

    @Test
    void dualSignedMailVerifiesTwiceAndTamperingIsCaughtByBothTools() throws Exception {
        byte[] signed = postbusSigned(MESSAGE, List.copyOf(keys.values()), Canonicalization.RELAXED, Canonicalization.RELAXED);
        assertThat(dkimpyVerify(signed)).containsExactly(true, true);
        assertThat(openDkimVerify(signed)).containsExactly("pass", "pass");

        byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("eight?", "nine?").getBytes(StandardCharsets.UTF_8);
        assertThat(dkimpyVerify(tampered)).containsExactly(false, false);
        assertThat(openDkimVerify(tampered)).containsExactly("fail", "fail");
    }

    @Test
    void dkimpySignedMailVerifiesWithPostbus() throws Exception {
        DkimVerifier verifier = new DkimVerifier(zone(), Clock.systemUTC(), DkimVerifier.Settings.defaults());
        List<String> outcomes = new ArrayList<>();
        int passed = 0;
        for (String alg : keys.keySet()) {
            boolean ed = alg.equals("ed25519");
            Path keyFile = ed ? ed25519Seed : dir.resolve("pb-rsa.pem");
            for (Canonicalization h : Canonicalization.values()) {
                for (Canonicalization b : Canonicalization.values()) {
                    ToolResult r = ExternalTool.run(TIMEOUT, List.of(python.toString(), driver(), "sign", keyFile.toString(),
                            "pb-" + alg, DOMAIN, ed ? "ed25519-sha256" : "rsa-sha256", h.tagValue() + "/" + b.tagValue()),
                            MESSAGE.getBytes(StandardCharsets.UTF_8)).assertSuccess();
                    List<DkimResult> results = verifier.verify(RawMessage.parse(r.stdout().getBytes(StandardCharsets.UTF_8)));
                    outcomes.add(alg + " " + h.tagValue() + "/" + b.tagValue() + ": " + results);
                    if (results.size() == 1 && results.get(0).verdict() == DkimVerdict.PASS) {
                        passed++;
                    }
                }
            }
        }
        System.out.printf("interop: dkimpy-signed verified by Postbus %d/8%n", passed);
        assertThat(passed).as(String.join("\n", outcomes)).isEqualTo(8);
    }

    @Test
    void openDkimTestModeAltersWhiteSpaceAfterTheColonForDkimpySignaturesToo() {
        // The control for OPENDKIM_MESSAGE: a dkimpy c=simple signature over MESSAGE fails in OpenDKIM's test
        // mode while the same over OPENDKIM_MESSAGE passes, so the difference is OpenDKIM's, not ours.
        List<String> results = new ArrayList<>();
        for (String message : List.of(MESSAGE, OPENDKIM_MESSAGE)) {
            ToolResult r = ExternalTool.run(TIMEOUT, List.of(python.toString(), driver(), "sign", dir.resolve("pb-rsa.pem").toString(),
                    "pb-rsa", DOMAIN, "rsa-sha256", "simple/simple"), message.getBytes(StandardCharsets.UTF_8)).assertSuccess();
            results.addAll(uncheckedOpenDkim(r.stdout().getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(results).containsExactly("fail", "pass");
    }

    static List<String> uncheckedOpenDkim(byte[] message) {
        try {
            return openDkimVerify(message);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] postbusSigned(String text, List<DkimSigningKey> signingKeys, Canonicalization h, Canonicalization b)
            throws Exception {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        DkimSigner signer = new DkimSigner(signingKeys, DkimSigner.Settings.defaults().withCanonicalization(h, b), Clock.systemUTC());
        return DkimSigner.prepend(signer.sign(RawMessage.parse(message)), message);
    }

    /** dkimpy's verdict for each signature, top first. */
    static List<Boolean> dkimpyVerify(byte[] message) {
        ToolResult r = ExternalTool.run(TIMEOUT, List.of(python.toString(), driver(), "verify", recordsJson.toString()), message)
                .assertSuccess();
        List<Boolean> out = new ArrayList<>();
        for (String line : r.stdout().strip().split("\n")) {
            out.add(line.contains("\"pass\": true"));
        }
        return out;
    }

    /** OpenDKIM's dkim= results, from the Authentication-Results its test mode prints. */
    static List<String> openDkimVerify(byte[] message) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "msg", ".eml"), message);
        ToolResult r = ExternalTool.run(TIMEOUT, List.of("opendkim", "-x", openDkimConf.toString(), "-t", file.toString(), "-vv"));
        Matcher m = Pattern.compile("\\bdkim=(\\w+)").matcher(r.stdout() + r.stderr());
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static ZoneFileResolver zone() {
        StringBuilder z = new StringBuilder();
        for (Map.Entry<String, String> r : records.entrySet()) {
            z.append(r.getKey()).append(". 300 IN TXT");
            String v = r.getValue();
            for (int i = 0; i < v.length(); i += 255) {
                z.append(" \"").append(v, i, Math.min(v.length(), i + 255)).append('"');
            }
            z.append('\n');
        }
        return ZoneFileResolver.fromString(DOMAIN + ".", z.toString());
    }

    /** The Python that has dkimpy: the one dkimverify (python3-dkim) runs with, from its #! line. */
    static Path dkimpyInterpreter() throws IOException {
        Path dkimverify = ExternalTool.require("dkimverify");
        String shebang = Files.readAllLines(dkimverify).get(0);
        return Path.of(shebang.substring(2).strip().split("\\s+")[0]);
    }

    static String driver() {
        try {
            return Path.of(DkimInteropTest.class.getResource("/interop/dkimpy_driver.py").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.postbus.loadtest.auth;

import io.postbus.auth.AuthSetup;
import io.postbus.auth.MailAuthenticator;
import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.SigningKeys;
import io.postbus.auth.dkim.keys.TableSource;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.schemas.AuthResults;
import io.postbus.schemas.AuthenticatedMail;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.Direction;
import io.postbus.schemas.DmarcVerdict;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.SpfVerdict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one benchmark mode feeds the auth-worker and what it must get back, on zone data only (no
 * network): the keys, the zone, the worker's {@link AuthSetup}, the {@link ReceivedMail} records, and
 * the check of each {@link AuthenticatedMail}.
 *
 * <ul>
 *   <li>{@link Mode#ORIGINATING}: submitted mail from alice@example.com, signed by the worker with an
 *       RSA-2048 key named in an OpenDKIM KeyTable and SigningTable, as {@code dkim.key.table} and
 *       {@code dkim.signing.table} configure it.</li>
 *   <li>{@link Mode#INBOUND}: mail from example.com arriving from its permitted host, signed by the sender
 *       (RSA-2048), with SPF ({@code ip4}, {@code -all}) and DMARC ({@code p=reject}) published: DKIM, SPF
 *       (MAIL FROM and HELO), ARC (none) and DMARC all evaluated, Authentication-Results added.</li>
 * </ul>
 */
public final class AuthScenario {
    /** The two paths through the auth-worker. */
    public enum Mode { ORIGINATING, INBOUND }

    static final String AUTHSERV_ID = "mx.postbus.test";
    static final String SENDER = "alice@example.com";
    static final String CLIENT_IP = "192.0.2.10";
    static final String HELO = "mail.example.com";

    private final Mode mode;
    private final SampleMail mail;
    private final ZoneFileResolver dns;
    private final AuthSetup setup;
    private final Optional<DkimSigner> senderSigner;

    private AuthScenario(Mode mode, SampleMail mail, ZoneFileResolver dns, AuthSetup setup,
                         Optional<DkimSigner> senderSigner) {
        this.mode = mode;
        this.mail = mail;
        this.dns = dns;
        this.setup = setup;
        this.senderSigner = senderSigner;
    }

    /**
     * Generates the keys (and, for originating mail, the KeyTable and SigningTable) into {@code dir}.
     *
     * @param publicSuffixList for DMARC; empty = Debian's {@code publicsuffix} package, as the worker defaults
     */
    public static AuthScenario create(Mode mode, Path dir, int bodySize, Optional<Path> publicSuffixList, Clock clock)
            throws IOException {
        Objects.requireNonNull(mode, "mode");
        AuthSetup defaults = AuthSetup.defaults(AUTHSERV_ID);
        if (mode == Mode.ORIGINATING) {
            BenchKey key = BenchKey.generate(KeyType.RSA, "example.com", "rsa2048", dir);
            Path keyTable = Files.writeString(dir.resolve("KeyTable"), "rsa example.com:rsa2048:" + key.file() + "\n");
            Path signingTable = Files.writeString(dir.resolve("SigningTable"), "*@example.com rsa\n");
            SigningKeys.Config signing = new SigningKeys.Config(TableSource.parse("file:" + keyTable),
                    TableSource.parse("refile:" + signingTable), false);
            AuthSetup setup = new AuthSetup(AUTHSERV_ID, defaults.dkimVerify(), defaults.spf(), publicSuffixList,
                    defaults.dmarcPolicy(), Optional.of(signing), DkimSigner.Settings.defaults(), Duration.ofSeconds(30),
                    Optional.empty());
            return new AuthScenario(mode, new SampleMail(SENDER, "bob@example.net", bodySize),
                    zone(key), setup, Optional.empty());
        }
        BenchKey key = BenchKey.generate(KeyType.RSA, "example.com", "s2026", dir);
        AuthSetup setup = new AuthSetup(AUTHSERV_ID, defaults.dkimVerify(), defaults.spf(), publicSuffixList,
                defaults.dmarcPolicy(), Optional.empty(), defaults.signer(), defaults.reloadInterval(), Optional.empty());
        DkimSigner sender = new DkimSigner(List.of(key.signing()), DkimSigner.Settings.defaults(), clock);
        return new AuthScenario(mode, new SampleMail(SENDER, "bob@postbus.test", bodySize), zone(key), setup,
                Optional.of(sender));
    }

    /** example.com as a careful sender publishes it: SPF for the domain and its HELO name, DMARC, the key. */
    private static ZoneFileResolver zone(BenchKey key) {
        return ZoneFileResolver.fromString(".", "$ORIGIN example.com.\n"
                + "@ 300 IN TXT \"v=spf1 ip4:" + CLIENT_IP + " -all\"\n"
                + "@ 300 IN A " + CLIENT_IP + "\n"
                + "mail 300 IN A " + CLIENT_IP + "\n"
                + "mail 300 IN TXT \"v=spf1 a -all\"\n"
                + "_dmarc 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n"
                + key.zoneText());
    }

    public Mode mode() {
        return mode;
    }

    public DnsResolver dns() {
        return dns;
    }

    /** The worker's authenticator, built as the pipeline builds it. */
    public MailAuthenticator authenticator(Clock clock) {
        return setup.build(dns, clock, problem -> System.err.println("auth setup: " + problem));
    }

    /** What the ingress would have queued for message {@code index}, under {@code queueId}. */
    public ReceivedMail record(String queueId, long index) {
        byte[] message = mail.message(index);
        if (senderSigner.isPresent()) {
            try {
                message = DkimSigner.prepend(senderSigner.get().sign(RawMessage.parse(message)), message);
            } catch (DkimSigner.UnsignableMessageException e) {
                throw new IllegalStateException("the sample message has a From field", e);
            }
        }
        boolean originating = mode == Mode.ORIGINATING;
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(queueId)
                .setReceivedAt(java.time.Instant.now())
                .setIngressNode("bench")
                .setListener(originating ? Listener.SUBMISSION : Listener.SMTP)
                .setDirection(originating ? Direction.ORIGINATING : Direction.INBOUND)
                .setClient(ClientInfo.newBuilder().setAddress(CLIENT_IP).setPort(50_000).setHelo(HELO)
                        .setProtocol(originating ? "ESMTPSA" : "ESMTPS").build())
                .setAuthenticatedUser(originating ? "alice" : null)
                .setMailFrom(MailFrom.newBuilder().setAddress(SENDER).build())
                .setRecipients(List.of(Recipient.newBuilder()
                        .setAddress(originating ? "bob@example.net" : "bob@postbus.test").build()))
                .build();
        return ReceivedMail.newBuilder().setEnvelope(envelope).setMessage(ByteBuffer.wrap(message)).build();
    }

    /** Why this output is not what the mode must produce; empty when it is. */
    public Optional<String> problem(AuthenticatedMail out) {
        AuthResults auth = out.getAuth();
        if (mode == Mode.ORIGINATING) {
            if (auth.getSignedBy().size() != 1 || !auth.getSignedBy().get(0).getAlgorithm().equals("rsa-sha256")) {
                return Optional.of("signed by " + auth.getSignedBy() + ", expected one rsa-sha256 signature");
            }
            return Optional.empty();
        }
        if (auth.getDkim().isEmpty() || auth.getDkim().stream()
                .anyMatch(d -> d.getVerdict() != io.postbus.schemas.DkimVerdict.PASS)) {
            return Optional.of("dkim " + auth.getDkim());
        }
        if (auth.getSpf() == null || auth.getSpf().getVerdict() != SpfVerdict.PASS) {
            return Optional.of("spf " + auth.getSpf());
        }
        if (auth.getDmarc() == null || auth.getDmarc().getVerdict() != DmarcVerdict.PASS) {
            return Optional.of("dmarc " + auth.getDmarc());
        }
        return Optional.empty();
    }

    /**
     * Checks an output message's DKIM signatures against the zone, outside the measurement: the worker's
     * signatures must verify (originating), and the sender's must still verify after our
     * Authentication-Results was added (inbound).
     */
    public Optional<String> verifySignatures(byte[] message, Clock clock) {
        List<DkimResult> results = new DkimVerifier(dns, clock, DkimVerifier.Settings.defaults())
                .verify(RawMessage.parse(message));
        if (results.isEmpty() || results.stream().anyMatch(r -> r.verdict() != DkimVerdict.PASS)) {
            return Optional.of("signature check after the run: " + results);
        }
        return Optional.empty();
    }
}

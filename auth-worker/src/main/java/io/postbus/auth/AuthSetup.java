package io.postbus.auth;

import io.postbus.auth.arc.ArcSealer;
import io.postbus.auth.arc.ArcSettings;
import io.postbus.auth.arc.ArcSigningKey;
import io.postbus.auth.arc.ArcValidator;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyLookup;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.dkim.DkimSigningKey;
import io.postbus.auth.dkim.keys.KeyFileException;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.auth.dkim.keys.SigningKeys;
import io.postbus.auth.dkim.keys.TableFormatException;
import io.postbus.auth.dmarc.DmarcEvaluator;
import io.postbus.auth.dmarc.DmarcLocalPolicy;
import io.postbus.auth.inbound.InboundVerifier;
import io.postbus.auth.originating.OriginatingSigner;
import io.postbus.auth.originating.SigningKeysSource;
import io.postbus.auth.psl.BundledSuffixes;
import io.postbus.auth.psl.PublicSuffixList;
import io.postbus.auth.spf.SpfSettings;
import io.postbus.auth.spf.SpfVerifier;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.error.PermanentException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the auth-worker is configured with, validated, and the one place the cores are put
 * together. A broken table, key or list fails here, at start, never on the first message.
 *
 * @param authservId       our authserv-id (RFC 8601 §2.5: a host name we control)
 * @param dkimVerify       verifier limits
 * @param spf              SPF receiver settings
 * @param publicSuffixList where the PSL is read from; empty = Debian's publicsuffix package
 * @param dmarcPolicy      what DMARC failures lead to
 * @param signing          OpenDKIM-style KeyTable and SigningTable; empty = originating mail is not signed
 * @param signer           how to sign
 * @param reloadInterval   how often the signing files are checked for changes
 * @param arcSealKey       "domain:selector:/path/to/key" (a KeyTable value); empty = no ARC sealing
 */
public record AuthSetup(String authservId, DkimVerifier.Settings dkimVerify, SpfSettings spf,
                        Optional<Path> publicSuffixList, DmarcLocalPolicy dmarcPolicy,
                        Optional<SigningKeys.Config> signing, DkimSigner.Settings signer, Duration reloadInterval,
                        Optional<String> arcSealKey) {

    public AuthSetup {
        Objects.requireNonNull(authservId, "authservId");
        Objects.requireNonNull(dkimVerify, "dkimVerify");
        Objects.requireNonNull(spf, "spf");
        Objects.requireNonNull(publicSuffixList, "publicSuffixList");
        Objects.requireNonNull(dmarcPolicy, "dmarcPolicy");
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(arcSealKey, "arcSealKey");
    }

    /** Verification with RFC defaults, the cautious DMARC policy, no signing, no sealing. */
    public static AuthSetup defaults(String authservId) {
        return new AuthSetup(authservId, DkimVerifier.Settings.defaults(), SpfSettings.defaults(authservId),
                Optional.empty(), DmarcLocalPolicy.cautious(), Optional.empty(), DkimSigner.Settings.defaults(),
                Duration.ofSeconds(30), Optional.empty());
    }

    /**
     * Builds the authenticator.
     *
     * @throws PermanentException when a table, key or list cannot be used: the process must not start
     */
    public MailAuthenticator build(DnsResolver dns, Clock clock, Consumer<String> problems) {
        KeyLookup keys = new KeyLookup(dns);
        PublicSuffixList psl;
        try {
            psl = PublicSuffixList.locate(publicSuffixList);
        } catch (RuntimeException e) {
            if (publicSuffixList.isPresent()) {
                throw new PermanentException("public suffix list: " + e.getMessage(), e);
            }
            psl = BundledSuffixes.list();
            problems.accept("public suffix list: " + e.getMessage() + "; using the copy built into Guava ("
                    + psl.size() + " rules) until one is installed");
        }
        InboundVerifier inbound = new InboundVerifier(authservId,
                new DkimVerifier(keys, clock, dkimVerify),
                new SpfVerifier(dns, clock, spf),
                new ArcValidator(keys, clock, ArcSettings.defaults()),
                new DmarcEvaluator(dns, psl, new SecureRandom()),
                dmarcPolicy,
                arcSealKey.map(k -> new ArcSealer(arcKey(k), clock)));
        SigningKeysSource source = SigningKeysSource.none();
        if (signing.isPresent()) {
            try {
                source = SigningKeysSource.load(signing.get(), clock, reloadInterval, problems);
            } catch (TableFormatException | KeyFileException e) {
                throw new PermanentException("DKIM signing tables: " + e.getMessage(), e);
            }
        }
        return new MailAuthenticator(authservId, inbound, new OriginatingSigner(authservId, source, signer, clock));
    }

    /** Parses a KeyTable-style value "domain:selector:/path/to/key" and reads the key. */
    static ArcSigningKey arcKey(String spec) {
        String[] parts = spec.split(":", 3);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new PermanentException("ARC seal key must be domain:selector:/path/to/key, not " + spec);
        }
        try {
            PrivateKey key = PrivateKeyFiles.read(Path.of(parts[2].strip()));
            SigningAlgorithm algorithm = DkimSigningKey.keyType(key) == io.postbus.auth.dkim.KeyType.ED25519
                    ? SigningAlgorithm.ED25519_SHA256 : SigningAlgorithm.RSA_SHA256;
            return new ArcSigningKey(parts[0].strip(), parts[1].strip(), algorithm, key);
        } catch (KeyFileException | IllegalArgumentException e) {
            throw new PermanentException("ARC seal key: " + e.getMessage(), e);
        }
    }
}

package io.postbus.auth.arc;

import io.postbus.auth.arc.SignatureCheck.Status;
import io.postbus.auth.dkim.KeyLookup;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The chain validation algorithm of RFC 8617 §5.2, step by step. Pure: DNS and the clock are injected;
 * never throws for anything a message contains.
 */
public final class ArcValidator {
    private final KeyLookup keys;
    private final Clock clock;
    private final ArcSettings settings;

    public ArcValidator(DnsResolver dns, Clock clock, ArcSettings settings) {
        this(new KeyLookup(Objects.requireNonNull(dns, "dns")), clock, settings);
    }

    public ArcValidator(KeyLookup keys, Clock clock, ArcSettings settings) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public ArcValidation validate(RawMessage message) {
        ArcChain chain = ArcChain.parse(message);
        // Step 1: collect the sets; none means "none".
        if (!chain.present()) {
            return ArcValidation.none();
        }
        int n = chain.highestInstance();
        if (chain.highestInstance() > ArcChain.MAX_INSTANCE) {
            return failed(n, ValidationStep.COLLECT_SETS, 0, chain.defect().orElse("too many ARC Sets"), List.of(), OptionalInt.empty());
        }
        // Step 2: an earlier sealer already declared the chain failed.
        if (chain.latestSealCv().orElse(null) == ChainValidationStatus.FAIL) {
            return failed(n, ValidationStep.LATEST_CHAIN_STATUS, n, "ARC-Seal i=" + n + " says cv=fail", List.of(), OptionalInt.empty());
        }
        // Step 3: structure.
        if (chain.defect().isPresent()) {
            return failed(n, ValidationStep.STRUCTURE, 0, chain.defect().get(), List.of(), OptionalInt.empty());
        }
        List<ArcSet> sets = chain.sets();
        for (ArcSet set : sets) {
            String problem = sealProblem(set);
            if (problem != null) {
                return failed(n, ValidationStep.STRUCTURE, set.instance(), problem, List.of(), OptionalInt.empty());
            }
        }
        ArcSignatureVerifier verifier = new ArcSignatureVerifier(keys, clock, settings);
        SignatureCheck[] ams = new SignatureCheck[n];
        SignatureCheck[] seals = new SignatureCheck[n];
        Arrays.fill(ams, SignatureCheck.notChecked());
        Arrays.fill(seals, SignatureCheck.notChecked());
        // Step 4: the newest AMS must validate.
        ams[n - 1] = verifier.messageSignature(message, sets.get(n - 1));
        if (!ams[n - 1].passed()) {
            return failed(n, ValidationStep.LATEST_MESSAGE_SIGNATURE, n, ams[n - 1].reason(),
                    results(sets, ams, seals), OptionalInt.empty(), ams[n - 1].status() == Status.TEMPERROR);
        }
        // Step 5 (optional in the RFC, done here for header.oldest-pass): walk older AMSs down to the first failure.
        int oldestPass = 0;
        for (int i = n - 1; i >= 1; i--) {
            ams[i - 1] = verifier.messageSignature(message, sets.get(i - 1));
            if (!ams[i - 1].passed()) {
                oldestPass = i + 1;
                break;
            }
        }
        // Step 6: every seal, newest first.
        for (int i = n; i >= 1; i--) {
            seals[i - 1] = verifier.seal(sets, i - 1);
            if (!seals[i - 1].passed()) {
                return failed(n, ValidationStep.SEALS, i, seals[i - 1].reason(), results(sets, ams, seals),
                        OptionalInt.of(oldestPass), seals[i - 1].status() == Status.TEMPERROR);
            }
        }
        // Step 7.
        return new ArcValidation(ChainValidationStatus.PASS, n, OptionalInt.of(oldestPass), results(sets, ams, seals), Optional.empty());
    }

    /**
     * §5.2 step 3, third rule: cv=none in i=1, cv=pass above it, never fail (nor anything else). And §4.1.3:
     * an h= in an ARC-Seal "MUST result in a cv status of fail", whatever its signature says.
     */
    private static String sealProblem(ArcSet set) {
        if (set.sealTags().has("h")) {
            return "ARC-Seal i=" + set.instance() + " has an h= tag (RFC 8617 §4.1.3)";
        }
        Optional<String> cv = set.sealTags().get("cv");
        if (cv.isEmpty()) {
            return "ARC-Seal i=" + set.instance() + " has no cv= tag";
        }
        Optional<ChainValidationStatus> status = ChainValidationStatus.fromCv(cv.get());
        if (status.isEmpty()) {
            return "ARC-Seal i=" + set.instance() + " has an invalid cv=" + CommonSignatureTags.shortened(cv.get());
        }
        ChainValidationStatus expected = set.instance() == 1 ? ChainValidationStatus.NONE : ChainValidationStatus.PASS;
        if (status.get() != expected) {
            return "ARC-Seal i=" + set.instance() + " says cv=" + status.get().cvValue() + ", must be " + expected.cvValue();
        }
        return null;
    }

    private static List<InstanceResult> results(List<ArcSet> sets, SignatureCheck[] ams, SignatureCheck[] seals) {
        List<InstanceResult> out = new ArrayList<>(sets.size());
        for (ArcSet set : sets) {
            int k = set.instance() - 1;
            out.add(new InstanceResult(set.instance(), ams[k], seals[k], set.resultsPayload()));
        }
        return out;
    }

    private static ArcValidation failed(int n, ValidationStep step, int instance, String reason, List<InstanceResult> results,
                                        OptionalInt oldestPass) {
        return failed(n, step, instance, reason, results, oldestPass, false);
    }

    private static ArcValidation failed(int n, ValidationStep step, int instance, String reason, List<InstanceResult> results,
                                        OptionalInt oldestPass, boolean temporary) {
        return new ArcValidation(ChainValidationStatus.FAIL, n, oldestPass, results,
                Optional.of(new ArcFailure(step, instance, reason, temporary)));
    }
}

package io.postbus.auth.arc;

/** The steps of the chain validation algorithm of RFC 8617 §5.2 at which a chain can fail. */
public enum ValidationStep {
    /** Step 1: more than 50 ARC Sets. */
    COLLECT_SETS(1),
    /** Step 2: the ARC-Seal with the highest instance already says cv=fail. */
    LATEST_CHAIN_STATUS(2),
    /** Step 3: missing, duplicate or unreadable ARC fields, gaps in 1..N, or a wrong cv= in some ARC-Seal. */
    STRUCTURE(3),
    /** Step 4: the ARC-Message-Signature with the highest instance does not validate. */
    LATEST_MESSAGE_SIGNATURE(4),
    /** Step 6: some ARC-Seal does not validate. */
    SEALS(6);

    private final int rfcStep;

    ValidationStep(int rfcStep) {
        this.rfcStep = rfcStep;
    }

    /** The step number in RFC 8617 §5.2. */
    public int rfcStep() {
        return rfcStep;
    }
}

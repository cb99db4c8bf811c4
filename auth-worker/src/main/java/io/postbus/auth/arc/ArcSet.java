package io.postbus.auth.arc;

import io.postbus.auth.dkim.TagList;
import io.postbus.auth.message.HeaderField;
import java.util.List;
import java.util.Objects;

/**
 * One complete ARC Set (RFC 8617 §4.1): the three header fields sharing an instance value, with the
 * parts already read from them. Only {@link ArcChain} builds these, after the structural checks.
 *
 * @param instance              the i= value, 1..50 (§4.2.1)
 * @param authenticationResults the ARC-Authentication-Results field as received
 * @param messageSignature      the ARC-Message-Signature field as received
 * @param seal                  the ARC-Seal field as received
 * @param resultsPayload        the AAR text after {@code i=N;}: authserv-id and results (§4.1.1)
 * @param signatureTags         the AMS tag list
 * @param sealTags              the AS tag list
 */
public record ArcSet(int instance, HeaderField authenticationResults, HeaderField messageSignature, HeaderField seal,
                     String resultsPayload, TagList signatureTags, TagList sealTags) {

    public ArcSet {
        if (instance < 1 || instance > ArcChain.MAX_INSTANCE) {
            throw new IllegalArgumentException("ARC instance out of 1.." + ArcChain.MAX_INSTANCE + ": " + instance);
        }
        Objects.requireNonNull(authenticationResults, "authenticationResults");
        Objects.requireNonNull(messageSignature, "messageSignature");
        Objects.requireNonNull(seal, "seal");
        Objects.requireNonNull(resultsPayload, "resultsPayload");
        Objects.requireNonNull(signatureTags, "signatureTags");
        Objects.requireNonNull(sealTags, "sealTags");
    }

    /** AAR, AMS, AS: the order in which an ARC-Seal covers the fields of a set (RFC 8617 §5.1.1). */
    public List<HeaderField> fieldsInSealOrder() {
        return List.of(authenticationResults, messageSignature, seal);
    }
}

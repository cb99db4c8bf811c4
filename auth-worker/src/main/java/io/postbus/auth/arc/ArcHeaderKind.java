package io.postbus.auth.arc;

import io.postbus.auth.message.HeaderField;
import java.util.Optional;

/** The three header fields of an ARC Set (RFC 8617 §4.1), in the order an ARC-Seal hashes them (§5.1.1). */
public enum ArcHeaderKind {
    AUTHENTICATION_RESULTS("ARC-Authentication-Results"),
    MESSAGE_SIGNATURE("ARC-Message-Signature"),
    SEAL("ARC-Seal");

    private final String fieldName;

    ArcHeaderKind(String fieldName) {
        this.fieldName = fieldName;
    }

    /** The field name as RFC 8617 spells it (field names compare case-insensitively). */
    public String fieldName() {
        return fieldName;
    }

    public static Optional<ArcHeaderKind> of(HeaderField field) {
        for (ArcHeaderKind k : values()) {
            if (field.hasName(k.fieldName)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}

package io.postbus.auth.spf;

import java.util.Optional;

/** The qualifier of a directive and the result it gives when its mechanism matches (RFC 7208 §4.6.2). */
enum Qualifier {
    PASS('+', SpfResult.PASS),
    FAIL('-', SpfResult.FAIL),
    SOFTFAIL('~', SpfResult.SOFTFAIL),
    NEUTRAL('?', SpfResult.NEUTRAL);

    private final char symbol;
    private final SpfResult result;

    Qualifier(char symbol, SpfResult result) {
        this.symbol = symbol;
        this.result = result;
    }

    SpfResult result() {
        return result;
    }

    static Optional<Qualifier> of(char symbol) {
        for (Qualifier q : values()) {
            if (q.symbol == symbol) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }
}

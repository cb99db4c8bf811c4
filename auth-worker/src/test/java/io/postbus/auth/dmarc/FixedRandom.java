package io.postbus.auth.dmarc;

import java.util.random.RandomGenerator;

/** A "random" source that always draws the same value, and counts how often it was asked. */
final class FixedRandom implements RandomGenerator {
    private final int value;
    private int draws;

    FixedRandom(int value) {
        this.value = value;
    }

    @Override
    public int nextInt(int bound) {
        draws++;
        if (value >= bound) {
            throw new IllegalStateException(value + " >= bound " + bound);
        }
        return value;
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only nextInt(bound) is expected");
    }

    int draws() {
        return draws;
    }
}

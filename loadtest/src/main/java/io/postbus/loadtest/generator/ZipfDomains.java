package io.postbus.loadtest.generator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The recipient domains of a newsletter list: a few big mailbox providers hold most subscribers,
 * then a long tail of small sites. Rank {@code k} (1-based) of {@code n} domains is drawn with
 * probability {@code (1/k^s) / H(n,s)}, the Zipf law that mailing-list domain counts follow
 * closely; {@code s = 0} is a uniform spread.
 *
 * <p>Immutable and shared by every session; each draws with its own random source.
 */
public final class ZipfDomains {

    private final int count;
    private final double exponent;
    private final String suffix;
    /** cumulative[k-1] = P(rank <= k); the last entry is exactly 1. */
    private final double[] cumulative;

    /**
     * @param count    how many domains, at least 1
     * @param exponent the Zipf exponent s, 0 (uniform) to 5
     * @param suffix   the parent domain of every generated domain, e.g. {@code loadtest.test}
     */
    public ZipfDomains(int count, double exponent, String suffix) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one domain: " + count);
        }
        if (!(exponent >= 0 && exponent <= 5)) {
            throw new IllegalArgumentException("Zipf exponent must be within 0..5: " + exponent);
        }
        if (!suffix.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("suffix must be lower-case DNS labels: " + suffix);
        }
        this.count = count;
        this.exponent = exponent;
        this.suffix = suffix;
        this.cumulative = new double[count];
        double sum = 0;
        for (int k = 1; k <= count; k++) {
            sum += weight(k);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < count; i++) {
            cumulative[i] /= sum;
        }
        cumulative[count - 1] = 1.0;
    }

    public int count() {
        return count;
    }

    public double exponent() {
        return exponent;
    }

    /** The share of recipients at rank {@code k} (1-based). */
    public double share(int rank) {
        checkRank(rank);
        return rank == 1 ? cumulative[0] : cumulative[rank - 1] - cumulative[rank - 2];
    }

    /** A rank drawn from the distribution: the first whose cumulative share exceeds a uniform draw. */
    public int sampleRank(SplittableRandom random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        int index = i >= 0 ? i + 1 : -i - 1; // an exact hit belongs to the next bucket: P(rank <= k) is inclusive
        return Math.min(index, count - 1) + 1;
    }

    /** The domain name of rank {@code k}: {@code d<k>.<suffix>}. */
    public String domain(int rank) {
        checkRank(rank);
        return "d" + rank + "." + suffix;
    }

    public String sample(SplittableRandom random) {
        return domain(sampleRank(random));
    }

    private double weight(int k) {
        return 1.0 / Math.pow(k, exponent);
    }

    private void checkRank(int rank) {
        if (rank < 1 || rank > count) {
            throw new IllegalArgumentException("rank out of 1.." + count + ": " + rank);
        }
    }
}

package io.postbus.loadtest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The recipient-domain mix: Zipf shares, and draws that follow them. */
class ZipfDomainsTest {

    @Test
    void sharesFollowOneOverRankAndAddUpToOne() {
        ZipfDomains z = new ZipfDomains(1000, 1.0, "loadtest.test");
        double h = 0;
        for (int k = 1; k <= 1000; k++) {
            h += 1.0 / k;
        }
        assertThat(z.share(1)).isCloseTo(1 / h, within(1e-12));
        assertThat(z.share(2)).isCloseTo(z.share(1) / 2, within(1e-12));
        assertThat(z.share(1000)).isCloseTo(z.share(1) / 1000, within(1e-12));
        double sum = 0;
        for (int k = 1; k <= 1000; k++) {
            sum += z.share(k);
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void drawsMatchTheSharesWithinSamplingError() {
        ZipfDomains z = new ZipfDomains(50, 1.2, "loadtest.test");
        SplittableRandom random = new SplittableRandom(42);
        int n = 200_000;
        int[] counts = new int[51];
        for (int i = 0; i < n; i++) {
            counts[z.sampleRank(random)]++;
        }
        for (int k : new int[] {1, 2, 5, 50}) {
            double expected = z.share(k) * n;
            // within five standard deviations of a binomial count
            double sd = Math.sqrt(n * z.share(k) * (1 - z.share(k)));
            assertThat((double) counts[k]).as("rank %d", k).isCloseTo(expected, within(5 * sd + 1));
        }
        assertThat(counts[0]).isZero();
    }

    @Test
    void exponentZeroIsUniformAndOneDomainIsAlwaysDrawn() {
        ZipfDomains uniform = new ZipfDomains(4, 0, "x.test");
        assertThat(uniform.share(1)).isCloseTo(0.25, within(1e-12));
        assertThat(uniform.share(4)).isCloseTo(0.25, within(1e-12));
        ZipfDomains one = new ZipfDomains(1, 1, "x.test");
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(one.sample(r)).isEqualTo("d1.x.test");
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new ZipfDomains(0, 1, "x.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZipfDomains(10, -1, "x.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZipfDomains(10, 1, "X Test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZipfDomains(10, 1, "x.test").domain(11)).isInstanceOf(IllegalArgumentException.class);
    }
}

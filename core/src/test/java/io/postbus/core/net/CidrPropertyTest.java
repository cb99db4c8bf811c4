package io.postbus.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Containment checked against plain integer arithmetic, and random text never escapes as anything but IllegalArgumentException. */
class CidrPropertyTest {
    private final Random random = new Random(20240601);

    @Test
    void ipv4ContainmentMatchesPrefixArithmetic() throws UnknownHostException {
        for (int i = 0; i < 20_000; i++) {
            int net = random.nextInt();
            int prefix = random.nextInt(33);
            // Half the probes share the prefix, so both answers are exercised.
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            int probe = random.nextBoolean() ? (net & mask) | (random.nextInt() & ~mask) : random.nextInt();
            Cidr c = Cidr.parse(dotted(net) + "/" + prefix);
            boolean expected = (probe & mask) == (net & mask);
            assertThat(c.contains(InetAddress.getByName(dotted(probe)))).as("%s in %s", dotted(probe), c).isEqualTo(expected);
        }
    }

    @Test
    void ipv6ContainmentMatchesPrefixArithmetic() throws UnknownHostException {
        BigInteger all = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        for (int i = 0; i < 5_000; i++) {
            BigInteger net = new BigInteger(128, random);
            int prefix = random.nextInt(129);
            BigInteger mask = all.shiftRight(prefix).xor(all);
            BigInteger probe = random.nextBoolean() ? net.and(mask).or(new BigInteger(128, random).andNot(mask)) : new BigInteger(128, random);
            String text = random.nextBoolean() ? "[" + hex(net) + "]/" + prefix : hex(net) + "/" + prefix;
            Cidr c = Cidr.parse(text);
            boolean expected = probe.and(mask).equals(net.and(mask));
            assertThat(c.contains(InetAddress.getByName(hex(probe)))).as("%s in %s", hex(probe), text).isEqualTo(expected);
        }
    }

    @Test
    void randomTextIsParsedOrRejectedButNeverCrashes() {
        String alphabet = "0123456789abcdefABCDEFxyz.:/[]%- ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(24);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            assertThatCode(() -> {
                try {
                    Cidr.parse(text);
                } catch (IllegalArgumentException expected) {
                    // rejected: fine
                }
            }).as("'%s'", text).doesNotThrowAnyException();
        }
    }

    private static String dotted(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    private static String hex(BigInteger v) {
        StringBuilder sb = new StringBuilder();
        for (int g = 7; g >= 0; g--) {
            sb.append(v.shiftRight(16 * g).and(BigInteger.valueOf(0xffff)).toString(16));
            if (g > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}

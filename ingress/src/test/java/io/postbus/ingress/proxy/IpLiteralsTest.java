package io.postbus.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Spec §2.1 address and port formats, checked against the JDK's literal parser on random addresses. */
class IpLiteralsTest {
    private final Random random = new Random(2010_10_29);

    @Test
    void ipv4() {
        assertThat(IpLiterals.ipv4("0.0.0.0")).containsExactly(0, 0, 0, 0);
        assertThat(IpLiterals.ipv4("255.255.255.255")).containsExactly(-1, -1, -1, -1);
        for (String bad : new String[] {"", "1", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "01.2.3.4", "1.2.3.00",
            "256.1.1.1", "1.2.3.1000", "1.2.3.4 ", "1.2.3.-4", "١.2.3.4", "0x7f.0.0.1"}) {
            assertThat(IpLiterals.ipv4(bad)).as(bad).isNull();
        }
    }

    @Test
    void ipv6AgreesWithTheJdkOnRandomAddresses() throws UnknownHostException {
        for (int i = 0; i < 5_000; i++) {
            byte[] a = new byte[16];
            random.nextBytes(a);
            // Zero runs make "::" compression likely.
            int zeroFrom = random.nextInt(16);
            int zeroTo = zeroFrom + random.nextInt(17 - zeroFrom);
            for (int k = zeroFrom; k < zeroTo; k++) {
                a[k] = 0;
            }
            for (String text : forms(a)) {
                assertThat(IpLiterals.ipv6(text)).as(text).isEqualTo(a);
                // The JDK parses any text with ':' as a literal, without a lookup.
                assertThat(InetAddress.getByName(text)).as(text).isEqualTo(InetAddress.getByAddress(a));
            }
        }
    }

    @Test
    void ipv6Rejects() {
        for (String bad : new String[] {"", ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "::1:2:3:4:5:6:7:8", "12345::", "g::", ":1::", "1::2:", "1:2:3:4:5:6:7:8::", "::1.2.3", "1.2.3.4::",
            "::1.2.3.4:5", "fe80::1%1", "[::1]", "1:2:3:4:5:6:7:1.2.3.4", " ::1"}) {
            assertThat(IpLiterals.ipv6(bad)).as(bad).isNull();
        }
        assertThat(IpLiterals.ipv6("1:2:3:4:5:6:1.2.3.4")).isNotNull();
        assertThat(IpLiterals.ipv6("1:2:3:4:5:6:7::")).isNotNull();
        assertThat(IpLiterals.ipv6("::")).isEqualTo(new byte[16]);
    }

    @Test
    void ports() {
        assertThat(IpLiterals.port("0")).isZero();
        assertThat(IpLiterals.port("65535")).isEqualTo(65535);
        for (String bad : new String[] {"", "00", "01", "65536", "99999", "100000", "-1", "+1", "1a", " 1", "٣"}) {
            assertThat(IpLiterals.port(bad)).as(bad).isEqualTo(-1);
        }
    }

    /** Full, lower/upper case, and compressed forms of one address. */
    private static String[] forms(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        StringBuilder full = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            full.append(i == 0 ? "" : ":").append(String.format("%04x", g[i]));
        }
        // Compress the longest run of zero groups (length >= 1) with "::".
        int bestFrom = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestFrom = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder compressed = new StringBuilder();
        if (bestLen == 0) {
            compressed.append(full.toString().replaceAll("(^|:)0{1,3}", "$1"));
        } else {
            for (int i = 0; i < bestFrom; i++) {
                compressed.append(i == 0 ? "" : ":").append(Integer.toHexString(g[i]));
            }
            compressed.append("::");
            for (int i = bestFrom + bestLen; i < 8; i++) {
                compressed.append(i == bestFrom + bestLen ? "" : ":").append(Integer.toHexString(g[i]));
            }
        }
        String dotted = full.substring(0, 30) + (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
        return new String[] {full.toString(), full.toString().toUpperCase(Locale.ROOT), compressed.toString(), dotted};
    }
}

package io.postbus.auth.dmarc;

import io.postbus.auth.psl.TestPsl;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.util.LinkedHashMap;
import java.util.Map;

/** Zone-file DNS for tests: records as "owner TYPE rdata" lines, grouped into one zone per Organizational Domain. */
final class TestDns {
    private TestDns() {}

    /** TXT rdata is given unquoted and quoted here (split into 255-octet strings). */
    static ZoneFileResolver of(String... records) {
        Map<String, StringBuilder> zones = new LinkedHashMap<>();
        for (String line : records) {
            String[] f = line.split(" ", 3);
            String owner = f[0];
            String zone = TestPsl.list().registrableDomain(owner).orElse(owner);
            String rdata = f[1].equalsIgnoreCase("TXT") ? quote(f[2]) : f[2];
            zones.computeIfAbsent(zone, z -> new StringBuilder())
                    .append(owner).append(". 300 IN ").append(f[1]).append(' ').append(rdata).append('\n');
        }
        ZoneFileResolver resolver = ZoneFileResolver.fromString("zone.invalid", "");
        for (Map.Entry<String, StringBuilder> z : zones.entrySet()) {
            resolver = resolver.withZone(z.getKey(), z.getValue().toString());
        }
        return resolver;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += 200) {
            String chunk = text.substring(i, Math.min(text.length(), i + 200));
            out.append('"').append(chunk.replace("\\", "\\\\").replace("\"", "\\\"")).append("\" ");
        }
        return out.length() == 0 ? "\"\"" : out.toString().strip();
    }
}

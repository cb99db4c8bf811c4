package io.postbus.auth.dkim;

import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a real {@link ZoneFileResolver} from "name → TXT value" pairs, as the DKIM corpora give their
 * keys: each value is quoted and split into 255-octet character-strings as a zone file needs.
 */
final class TestDns {
    private final Map<String, String> txt = new LinkedHashMap<>();
    private final Map<String, DnsResult.Failure.Kind> failures = new LinkedHashMap<>();

    TestDns txt(String name, String value) {
        txt.put(absolute(name), value);
        return this;
    }

    TestDns failure(String name, DnsResult.Failure.Kind kind) {
        failures.put(absolute(name), kind);
        return this;
    }

    ZoneFileResolver resolver() {
        StringBuilder zone = new StringBuilder();
        for (Map.Entry<String, String> e : txt.entrySet()) {
            zone.append(e.getKey()).append(" 300 IN TXT ").append(quoted(e.getValue())).append('\n');
        }
        ZoneFileResolver resolver = ZoneFileResolver.fromString(".", zone.toString());
        for (Map.Entry<String, DnsResult.Failure.Kind> f : failures.entrySet()) {
            resolver = resolver.withFailure(f.getKey(), f.getValue());
        }
        return resolver;
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /** One or more "..." strings of at most 255 characters, with '"' and '\' escaped. */
    static String quoted(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        StringBuilder out = new StringBuilder();
        for (int start = 0; start < value.length(); start += 255) {
            String chunk = value.substring(start, Math.min(value.length(), start + 255));
            out.append(out.length() == 0 ? "" : " ").append('"')
                    .append(chunk.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.toString();
    }
}

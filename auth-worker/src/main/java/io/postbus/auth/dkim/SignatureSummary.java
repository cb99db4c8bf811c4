package io.postbus.auth.dkim;

import io.postbus.auth.message.HeaderField;
import java.util.HashMap;
import java.util.Map;

/**
 * The identifying tags of a DKIM-Signature read leniently, so that even a signature refused for its syntax
 * can be named in Authentication-Results (header.d, header.s, header.b) and in DMARC reports.
 */
record SignatureSummary(String domain, String selector, String identity, String algorithm, String b) {

    static SignatureSummary of(HeaderField field) {
        Map<String, String> tags = new HashMap<>();
        for (String spec : field.unfoldedValue().split(";")) {
            int eq = spec.indexOf('=');
            if (eq > 0) {
                tags.putIfAbsent(spec.substring(0, eq).strip(), spec.substring(eq + 1).strip());
            }
        }
        String domain = tags.getOrDefault("d", "");
        String identity = tags.containsKey("i") ? TagList.withoutWhitespace(tags.get("i"))
                : domain.isEmpty() ? "" : "@" + domain;
        return new SignatureSummary(domain, tags.getOrDefault("s", ""), identity,
                tags.getOrDefault("a", ""), TagList.withoutWhitespace(tags.getOrDefault("b", "")));
    }

    DkimResult result(DkimVerdict verdict, String reason, int keyBits, boolean testing) {
        return new DkimResult(verdict, reason, domain, selector, identity, algorithm, b, keyBits, testing);
    }
}

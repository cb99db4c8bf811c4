package io.postbus.delivery.mtasts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 §3.1): {@code v=STSv1; id=20160831085700Z;}.
 * Only the id matters to a sender: a new id says the policy changed and must be fetched again.
 *
 * @param id 1 to 32 letters and digits
 */
public record StsRecord(String id) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    // RFC 8461 §3.1: sts-ext-name = (ALPHA / DIGIT) 0*31(ALPHA / DIGIT / "_" / "-" / ".")
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    // sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E): visible characters but ';' and '='
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    public StsRecord {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an STS id is 1 to 32 letters and digits: " + id);
        }
    }

    /**
     * The one record among a name's TXT records (each already joined from its strings, §3.1):
     * those not starting with {@code v=STSv1;} are discarded, and unless exactly one remains and it
     * parses, the domain has no policy available.
     */
    public static Optional<StsRecord> select(List<String> txtRecords) {
        List<String> candidates = new ArrayList<>();
        for (String txt : txtRecords) {
            if (txt.startsWith("v=STSv1;")) {
                candidates.add(txt);
            }
        }
        return candidates.size() == 1 ? parse(candidates.get(0)) : Optional.empty();
    }

    /**
     * Parses one record: {@code v=STSv1} first, then fields separated by ';' with optional
     * whitespace around them; exactly one {@code id}; extension fields are allowed and ignored.
     */
    public static Optional<StsRecord> parse(String txt) {
        String[] fields = txt.split(";", -1);
        if (fields.length < 2 || !fields[0].stripTrailing().equals("v=STSv1")) {
            return Optional.empty();
        }
        String id = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) {
                if (i == fields.length - 1) {
                    continue; // the trailing ';' is optional, and so is what follows it
                }
                return Optional.empty();
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (name.equals("id")) {
                if (id != null || !ID.matcher(value).matches()) {
                    return Optional.empty();
                }
                id = value;
            } else if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
                return Optional.empty();
            }
        }
        return id == null ? Optional.empty() : Optional.of(new StsRecord(id));
    }
}

package io.postbus.auth.arc;

import io.postbus.auth.dkim.MalformedTagListException;
import io.postbus.auth.dkim.TagList;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARC header fields of a message grouped into ARC Sets by instance, with the structural rules of
 * RFC 8617 §5.2 step 3 applied: each instance 1..N has exactly one AAR, one AMS and one AS, and the
 * instances run from 1 to N without gaps or repeats. No signature is checked here.
 *
 * <p>A field whose instance cannot be read (no i=, a bad value, a broken tag list) still counts as ARC
 * content: the chain is then present but defective, never "none". This closes the door on hiding a
 * broken chain by garbling its i= tags.
 */
public final class ArcChain {
    /** RFC 8617 §4.2.1 and §5.2 step 1: at most 50 ARC Sets. */
    public static final int MAX_INSTANCE = 50;

    /** RFC 8617 §4.1.1: {@code arc-info = instance [CFWS] ";" authres-payload}, instance being i=1*2DIGIT. */
    private static final Pattern AAR_INSTANCE = Pattern.compile("\\A[ \\t]*i[ \\t]*=[ \\t]*([0-9]+)[ \\t]*;(.*)\\z", Pattern.DOTALL);

    private final boolean present;
    private final int highestInstance;
    private final List<ArcSet> sets;
    private final Optional<String> defect;
    private final Optional<ChainValidationStatus> latestSealCv;

    private ArcChain(boolean present, int highestInstance, List<ArcSet> sets, Optional<String> defect,
                     Optional<ChainValidationStatus> latestSealCv) {
        this.present = present;
        this.highestInstance = highestInstance;
        this.sets = List.copyOf(sets);
        this.defect = defect;
        this.latestSealCv = latestSealCv;
    }

    /** Reads the ARC header fields of a message. Never throws for message content. */
    public static ArcChain parse(RawMessage message) {
        Map<Integer, Map<ArcHeaderKind, List<Parsed>>> byInstance = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        boolean present = false;
        for (HeaderField field : message.headers()) {
            Optional<ArcHeaderKind> kind = ArcHeaderKind.of(field);
            if (kind.isEmpty()) {
                continue;
            }
            present = true;
            Parsed parsed = read(kind.get(), field);
            if (parsed.problem != null) {
                problems.add(parsed.problem);
                continue;
            }
            byInstance.computeIfAbsent(parsed.instance, i -> new EnumMap<>(ArcHeaderKind.class))
                    .computeIfAbsent(kind.get(), k -> new ArrayList<>()).add(parsed);
        }
        int highest = byInstance.isEmpty() ? 0 : ((TreeMap<Integer, ?>) byInstance).lastKey();
        Optional<ChainValidationStatus> latestCv = latestSealCv(byInstance.get(highest));
        List<ArcSet> sets = new ArrayList<>();
        for (int i = 1; i <= Math.min(highest, MAX_INSTANCE); i++) {
            Map<ArcHeaderKind, List<Parsed>> fields = byInstance.getOrDefault(i, Map.of());
            String missing = completeness(i, fields);
            if (missing != null) {
                problems.add(missing);
            } else if (problems.isEmpty()) {
                Parsed aar = fields.get(ArcHeaderKind.AUTHENTICATION_RESULTS).get(0);
                Parsed ams = fields.get(ArcHeaderKind.MESSAGE_SIGNATURE).get(0);
                Parsed seal = fields.get(ArcHeaderKind.SEAL).get(0);
                sets.add(new ArcSet(i, aar.field, ams.field, seal.field, aar.payload, ams.tags, seal.tags));
            }
        }
        if (highest > MAX_INSTANCE) {
            problems.add(0, "instance " + highest + " is above the limit of " + MAX_INSTANCE + " ARC Sets");
        }
        Optional<String> defect = problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
        return new ArcChain(present, highest, defect.isPresent() ? List.of() : sets, defect, latestCv);
    }

    /** True when the message carries any ARC header field at all (RFC 8617 §5.2 step 1). */
    public boolean present() {
        return present;
    }

    /** N: the highest instance value among the fields that could be read (0 when none could). */
    public int highestInstance() {
        return highestInstance;
    }

    /** The sets 1..N in instance order; empty when the chain is absent or {@link #defect() defective}. */
    public List<ArcSet> sets() {
        return sets;
    }

    /** Why the chain breaks the structure of RFC 8617 §5.2 step 3 (or step 1's limit), if it does. */
    public Optional<String> defect() {
        return defect;
    }

    /**
     * The cv= of the single ARC-Seal with the highest instance, when it can be read. §5.1 step 1 (sealer)
     * and §5.2 step 2 (validator) both look at it before anything else.
     */
    public Optional<ChainValidationStatus> latestSealCv() {
        return latestSealCv;
    }

    private static Optional<ChainValidationStatus> latestSealCv(Map<ArcHeaderKind, List<Parsed>> latest) {
        if (latest == null) {
            return Optional.empty();
        }
        List<Parsed> seals = latest.getOrDefault(ArcHeaderKind.SEAL, List.of());
        if (seals.size() != 1) {
            return Optional.empty();
        }
        return seals.get(0).tags.get("cv").flatMap(ChainValidationStatus::fromCv);
    }

    private static String completeness(int instance, Map<ArcHeaderKind, List<Parsed>> fields) {
        List<String> out = new ArrayList<>();
        for (ArcHeaderKind kind : ArcHeaderKind.values()) {
            int count = fields.getOrDefault(kind, List.of()).size();
            if (count != 1) {
                out.add((count == 0 ? "no " : count + " ") + kind.fieldName() + (count > 1 ? " fields" : "") + " for i=" + instance);
            }
        }
        return out.isEmpty() ? null : String.join("; ", out);
    }

    private static Parsed read(ArcHeaderKind kind, HeaderField field) {
        String value = field.unfoldedValue();
        if (kind == ArcHeaderKind.AUTHENTICATION_RESULTS) {
            Matcher m = AAR_INSTANCE.matcher(value);
            if (!m.matches()) {
                return Parsed.problem(kind.fieldName() + " does not start with i=<instance>;");
            }
            int instance = instance(m.group(1));
            if (instance < 0) {
                return Parsed.problem(kind.fieldName() + " has an invalid instance i=" + shortened(m.group(1)));
            }
            return new Parsed(field, instance, null, m.group(2).trim(), null);
        }
        TagList tags;
        try {
            tags = TagList.parse(value);
        } catch (MalformedTagListException e) {
            return Parsed.problem(kind.fieldName() + " is not a valid tag list: " + e.getMessage());
        }
        Optional<String> i = tags.get("i");
        if (i.isEmpty()) {
            return Parsed.problem(kind.fieldName() + " has no i= tag");
        }
        int instance = instance(i.get());
        if (instance < 0) {
            return Parsed.problem(kind.fieldName() + " has an invalid instance i=" + shortened(i.get()));
        }
        return new Parsed(field, instance, tags, null, null);
    }

    /** {@code 1*2DIGIT} with a value of at least 1 (RFC 8617 §4.2.1); -1 when not. */
    static int instance(String text) {
        if (text.isEmpty() || text.length() > 2) {
            return -1;
        }
        for (int k = 0; k < text.length(); k++) {
            if (text.charAt(k) < '0' || text.charAt(k) > '9') {
                return -1;
            }
        }
        int value = Integer.parseInt(text);
        return value >= 1 ? value : -1;
    }

    private static String shortened(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }

    private record Parsed(HeaderField field, int instance, TagList tags, String payload, String problem) {
        static Parsed problem(String why) {
            return new Parsed(null, -1, null, null, why);
        }
    }
}

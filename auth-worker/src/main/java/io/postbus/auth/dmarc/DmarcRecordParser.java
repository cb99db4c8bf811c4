package io.postbus.auth.dmarc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a DMARC policy record (RFC 7489 §6.3, §6.4). Pure; never throws.
 *
 * <p>What makes a record invalid (see ADR 0003): a malformed tag list, a known tag twice, or a
 * value outside its tag's syntax ({@code adkim}, {@code aspf}, {@code pct}, {@code fo}, {@code rf},
 * {@code ri}, {@code t}, {@code psd}). Like OpenDMARC, and unlike §6.3's "SHOULD be discarded in favour
 * of default values": silently reading {@code adkim=strict} as relaxed would weaken what the owner
 * asked for. Unknown tags are ignored (§6.3). A {@code rua}/{@code ruf} entry that is not a valid
 * URI is dropped on its own. {@code v} must come first; {@code p} may come anywhere (RFC 9989 drops
 * the order rule, and accepting it costs nothing).
 *
 * <p>A missing or invalid {@code p}, or an invalid {@code sp}/{@code np}, follows §6.6.3 step 6: with
 * at least one valid {@code rua} URI the record reads as {@code p=none} (keeping its other tags);
 * without one it is invalid.
 */
public final class DmarcRecordParser {

    /** The outcome of parsing one TXT string. */
    public sealed interface Result permits Valid, NotDmarc, Invalid {}

    public record Valid(DmarcRecord record) implements Result {}

    /** Not a DMARC record (does not start with {@code v=DMARC1}); discarded by discovery. */
    public record NotDmarc(String reason) implements Result {}

    /** Starts with {@code v=DMARC1} but breaks the syntax: a DMARC permerror. */
    public record Invalid(String reason) implements Result {}

    private static final Pattern PCT = Pattern.compile("[0-9]{1,3}");
    private static final Pattern RI = Pattern.compile("[0-9]{1,10}");
    private static final Pattern KEYWORD = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private DmarcRecordParser() {}

    public static Result parse(String text) {
        DmarcTags.Parse tags = DmarcTags.parse(text);
        if (tags instanceof DmarcTags.NotDmarc n) {
            return new NotDmarc(n.reason());
        }
        if (tags instanceof DmarcTags.Malformed m) {
            return new Invalid(m.reason());
        }
        return fromTags(((DmarcTags.Parsed) tags).tags());
    }

    private static Result fromTags(DmarcTags t) {
        Optional<AlignmentMode> adkim = value(t, "adkim", AlignmentMode::parse, AlignmentMode.RELAXED);
        Optional<AlignmentMode> aspf = value(t, "aspf", AlignmentMode::parse, AlignmentMode.RELAXED);
        Optional<Integer> pct = value(t, "pct", DmarcRecordParser::percent, 100);
        Optional<Boolean> testing = value(t, "t", DmarcRecordParser::yesNo, false);
        Optional<PsdFlag> psd = value(t, "psd", PsdFlag::parse, PsdFlag.U);
        Map<String, Optional<?>> checked = Map.of("adkim", adkim, "aspf", aspf, "pct", pct, "t", testing, "psd", psd);
        for (Map.Entry<String, Optional<?>> e : checked.entrySet()) {
            if (e.getValue().isEmpty()) {
                return new Invalid("invalid " + e.getKey() + " value '" + t.get(e.getKey()).orElse("") + "'");
            }
        }
        Optional<DmarcRecord.Reporting> reporting = reporting(t);
        if (reporting.isEmpty()) {
            return new Invalid("bad fo, rf or ri value");
        }

        Optional<DmarcPolicy> p = t.get("p").flatMap(DmarcPolicy::parse);
        Optional<DmarcPolicy> sp = t.get("sp").flatMap(DmarcPolicy::parse);
        Optional<DmarcPolicy> np = t.get("np").flatMap(DmarcPolicy::parse);
        boolean policyBroken = p.isEmpty()
                || (t.get("sp").isPresent() && sp.isEmpty())
                || (t.get("np").isPresent() && np.isEmpty());
        if (policyBroken) {
            if (reporting.get().rua().isEmpty()) {
                return new Invalid(t.get("p").isEmpty() ? "no p tag and no valid rua"
                        : "invalid p, sp or np value and no valid rua");
            }
            // RFC 7489 §6.6.3 step 6.1: act as if the record said p=none, so reports still flow.
            return new Valid(new DmarcRecord(DmarcPolicy.NONE, Optional.empty(), Optional.empty(), adkim.get(),
                    aspf.get(), pct.get(), testing.get(), psd.get(), reporting.get(), true));
        }
        return new Valid(new DmarcRecord(p.get(), sp, np, adkim.get(), aspf.get(), pct.get(), testing.get(), psd.get(),
                reporting.get(), false));
    }

    private static Optional<DmarcRecord.Reporting> reporting(DmarcTags t) {
        Set<FailureReportOption> fo = EnumSet.noneOf(FailureReportOption.class);
        if (t.get("fo").isPresent()) {
            for (String option : t.get("fo").get().split(":", -1)) {
                Optional<FailureReportOption> o = FailureReportOption.parse(DmarcTags.wsp(option));
                if (o.isEmpty()) {
                    return Optional.empty();
                }
                fo.add(o.get());
            }
        } else {
            fo.add(FailureReportOption.ALL_FAIL);
        }
        List<String> rf = new ArrayList<>();
        if (t.get("rf").isPresent()) {
            // Keyword = ALPHA / DIGIT, then ALPHA / DIGIT / "-" (RFC 5321 §4.1.2); only afrf is registered.
            for (String format : t.get("rf").get().split(":", -1)) {
                String f = DmarcTags.wsp(format).toLowerCase(Locale.ROOT);
                if (!KEYWORD.matcher(f).matches()) {
                    return Optional.empty();
                }
                rf.add(f);
            }
        } else {
            rf.add("afrf");
        }
        long ri = DmarcRecord.Reporting.DEFAULT_INTERVAL;
        if (t.get("ri").isPresent()) {
            String v = t.get("ri").get();
            if (!RI.matcher(v).matches() || Long.parseLong(v) > 0xFFFF_FFFFL) {
                return Optional.empty();
            }
            ri = Long.parseLong(v);
        }
        return Optional.of(new DmarcRecord.Reporting(uris(t.get("rua")), uris(t.get("ruf")), fo, rf, ri));
    }

    private static List<ReportUri> uris(Optional<String> list) {
        List<ReportUri> out = new ArrayList<>();
        if (list.isPresent() && !list.get().isEmpty()) {
            for (String entry : list.get().split(",", -1)) {
                ReportUri.parse(entry).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The tag's parsed value, {@code otherwise} when the tag is absent, empty when its value is invalid. */
    private static <T> Optional<T> value(DmarcTags t, String tag, Function<String, Optional<T>> parse, T otherwise) {
        Optional<String> raw = t.get(tag);
        return raw.isPresent() ? parse.apply(raw.get()) : Optional.of(otherwise);
    }

    private static Optional<Integer> percent(String v) {
        return PCT.matcher(v).matches() && Integer.parseInt(v) <= 100 ? Optional.of(Integer.parseInt(v)) : Optional.empty();
    }

    private static Optional<Boolean> yesNo(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "y": return Optional.of(true);
            case "n": return Optional.of(false);
            default: return Optional.empty();
        }
    }
}

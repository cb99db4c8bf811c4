package io.postbus.auth.results;

import io.postbus.auth.arc.ArcValidation;
import io.postbus.auth.arc.ChainValidationStatus;
import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dmarc.DmarcOutcome;
import io.postbus.auth.dmarc.DmarcResult;
import io.postbus.auth.spf.SpfIdentity;
import io.postbus.auth.spf.SpfReport;
import io.postbus.auth.spf.SpfResult;
import io.postbus.auth.spf.SpfVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the verdicts of each method into resinfo clauses with the properties RFC 8601 §2.7 and the IANA
 * registry name (header.d/s/i/a/b for DKIM and RFC 6008, smtp.mailfrom/helo for SPF, header.from for
 * DMARC, header.oldest-pass and smtp.remote-ip for ARC, RFC 8617 §10.1), in the spelling OpenDKIM,
 * OpenDMARC and Rspamd use, so existing filters that read them keep working.
 */
public final class ResultClauses {
    private ResultClauses() {}

    /** One clause per signature; {@code dkim=none} for an unsigned message. */
    public static List<ResultClause> dkim(List<DkimResult> results) {
        List<ResultClause> out = new ArrayList<>();
        for (DkimResult r : results) {
            if (r.verdict() == DkimVerdict.NONE) {
                continue;
            }
            ResultClause.Builder c = ResultClause.of("dkim", r.verdict().token());
            if (r.verdict() != DkimVerdict.PASS) {
                c.reason(r.reason());
            } else if (r.keyBits() > 0) {
                c.comment(r.keyBits() + "-bit key");
            }
            out.add(c.property("header.d", r.domain())
                    .property("header.i", r.identity())
                    .property("header.s", r.selector())
                    .property("header.a", r.algorithm())
                    .property("header.b", r.headerB())
                    .build());
        }
        if (out.isEmpty()) {
            out.add(ResultClause.of("dkim", "none").build());
        }
        return out;
    }

    /**
     * The SPF clause for the identity DMARC uses, plus one for HELO when that was checked separately.
     *
     * @param mailFrom the reverse-path as given, for smtp.mailfrom
     */
    public static List<ResultClause> spf(SpfReport report, String clientIp, String receiver) {
        List<ResultClause> out = new ArrayList<>();
        out.add(spf(report.verdict(), clientIp, receiver));
        report.helo().filter(h -> report.verdict().identity() != SpfIdentity.HELO)
                .ifPresent(h -> out.add(spf(h, clientIp, receiver)));
        return out;
    }

    static ResultClause spf(SpfVerdict v, String clientIp, String receiver) {
        ResultClause.Builder c = ResultClause.of("spf", v.result().keyword());
        String subject = v.identity() == SpfIdentity.HELO ? "HELO " + v.domain() : "domain of " + v.domain();
        if (v.result().isError()) {
            c.reason(v.reason().orElse(""));
        } else if (v.result() == SpfResult.PASS) {
            c.comment(receiver + ": " + subject + " designates " + clientIp + " as permitted sender");
        } else if (v.result() == SpfResult.NONE) {
            c.comment(receiver + ": " + subject + " does not publish SPF");
        } else {
            c.comment(receiver + ": " + subject + " does not designate " + clientIp + " as permitted sender");
        }
        if (v.identity() == SpfIdentity.HELO) {
            c.property("smtp.helo", v.domain());
        } else {
            c.property("smtp.mailfrom", v.domain());
        }
        return c.build();
    }

    /** {@code dmarc=fail (p=reject dis=quarantine) header.from=example.com}, as OpenDMARC writes it. */
    public static ResultClause dmarc(DmarcOutcome o) {
        ResultClause.Builder c = ResultClause.of("dmarc", o.result().token());
        o.policy().ifPresent(p -> c.comment("p=" + p.requested().tag() + " dis=" + o.disposition().tag()));
        if (o.result() == DmarcResult.TEMPERROR || o.result() == DmarcResult.PERMERROR) {
            c.reason(o.reason());
        }
        return c.property("header.from", o.authorDomain().orElse("")).build();
    }

    /** {@code arc=pass (i=2) header.oldest-pass=0 smtp.remote-ip=192.0.2.1} (RFC 8617 §10.1). */
    public static ResultClause arc(ArcValidation v, String clientIp) {
        String result = v.status().name().toLowerCase(Locale.ROOT);
        ResultClause.Builder c = ResultClause.of("arc", result);
        if (v.status() == ChainValidationStatus.NONE) {
            return c.build();
        }
        c.comment("i=" + v.instances());
        v.failure().ifPresent(f -> c.reason(f.reason()));
        if (v.status() == ChainValidationStatus.PASS) {
            v.oldestPass().ifPresent(p -> c.property("header.oldest-pass", Integer.toString(p)));
        }
        return c.property("smtp.remote-ip", clientIp).build();
    }
}

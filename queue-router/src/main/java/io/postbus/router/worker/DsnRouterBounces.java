package io.postbus.router.worker;

import io.postbus.core.address.SmtpReply;
import io.postbus.core.dsn.DsnAction;
import io.postbus.core.dsn.DsnKind;
import io.postbus.core.dsn.OriginalRecipient;
import io.postbus.core.dsn.RecipientStatus;
import io.postbus.core.kafka.DsnMail;
import io.postbus.router.core.RecipientOutcome;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.ScoredMail;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Bounce messages for recipients the router gives up on (an {@code error:} transport, an unknown
 * virtual alias user, an alias loop, an expired deferral): one RFC 3464 report per message to the
 * sender, through the same {@link DsnMail} path the delivery-worker uses.
 */
public final class DsnRouterBounces implements RouterBounces {
    private final DsnMail mail;
    private final String myhostname;
    private final Clock clock;

    public DsnRouterBounces(DsnMail mail, String myhostname, Clock clock) {
        this.mail = mail;
        this.myhostname = myhostname;
        this.clock = clock;
    }

    @Override
    public List<ProducerRecord<byte[], byte[]>> notices(ScoredMail scored, List<RecipientOutcome.Bounced> failed) {
        List<RecipientStatus> statuses = new ArrayList<>();
        for (RecipientOutcome.Bounced b : failed) {
            SmtpReply r = b.reply();
            String status = r.enhancedStatus();
            if (status.charAt(0) != '5' && status.charAt(0) != '4') {
                status = "5.0.0";
            }
            // An expired deferral keeps its 4.x.x status, reported as failed (as Postfix does).
            statuses.add(new RecipientStatus(recipient(scored, b.original()), DsnAction.FAILED, status,
                    myhostname, null, r.code() + " " + r.enhancedStatus() + " " + r.text(), clock.instant(), null));
        }
        return mail.records(DsnMail.original(scored.getEnvelope(), scored.getMessage()), DsnKind.FAILURE, statuses);
    }

    /** The recipient as the client gave it, with its NOTIFY and ORCPT. */
    private static OriginalRecipient recipient(ScoredMail scored, String address) {
        for (Recipient r : scored.getEnvelope().getRecipients()) {
            if (r.getAddress().toLowerCase(Locale.ROOT).equals(address.toLowerCase(Locale.ROOT))) {
                return DsnMail.recipient(r);
            }
        }
        return new OriginalRecipient(address, Set.of(), null);
    }
}

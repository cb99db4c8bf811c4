package io.postbus.delivery.route;

import io.postbus.delivery.smtp.SmtpReply;

import java.util.List;
import java.util.Objects;

/** The servers to try for a next hop, or why there are none. */
public sealed interface MxResult {

    NextHop nextHop();

    /**
     * Servers in the order to try them: by MX preference, equal preferences shuffled.
     *
     * @param implicitMx true when the domain has no MX records and is its own mail server
     *                   (RFC 5321 §5.1 "implicit MX")
     */
    record Hosts(NextHop nextHop, List<MxHost> hosts, boolean implicitMx) implements MxResult {
        public Hosts {
            Objects.requireNonNull(nextHop, "nextHop");
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("no hosts: that is a Failed result");
            }
        }
    }

    /** No server to try; {@link RouteFailure#isTransient()} says whether to defer or bounce. */
    record Failed(NextHop nextHop, RouteFailure failure, String detail) implements MxResult {
        public Failed {
            Objects.requireNonNull(nextHop, "nextHop");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(detail, "detail");
        }

        /** As an SMTP reply, for the delivery result and the DSN: "556 5.1.10 ...". */
        public SmtpReply asReply() {
            return SmtpReply.of(failure.replyCode(), failure.status() + " " + detail);
        }
    }
}

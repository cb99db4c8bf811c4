package io.postbus.core.dns.zone;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The full answer to one question across the loaded zones, as records: what a server built on
 * the zones would put in its response. {@link ZoneFileResolver} turns it into a
 * {@code DnsResult}; a test DNS server can put it on the wire.
 */
sealed interface Resolution {
    /** The CNAME records followed before the outcome, in order; empty when there was no alias. */
    List<Record> chain();

    /**
     * True when every zone that took part (the query name's and each alias target's) was declared
     * signed: what a validating resolver would mark with the AD bit (RFC 4035 §3.2.3).
     */
    boolean authenticated();

    record Answered(List<Record> chain, List<Record> records, boolean authenticated) implements Resolution {}

    /** {@code soa} is null when the zone has none or the name is outside every zone. */
    record NxDomain(List<Record> chain, SOARecord soa, boolean authenticated) implements Resolution {}

    record NoData(List<Record> chain, SOARecord soa, boolean authenticated) implements Resolution {}

    record Failed(List<Record> chain, Kind kind, String detail) implements Resolution {
        @Override
        public boolean authenticated() {
            return false;
        }
    }
}

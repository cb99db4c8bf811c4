package io.postbus.core.dns.dnsjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.dnsjava.ResponseReader.Reading;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The reading of single responses, without a network. */
class ResponseReaderTest {
    private static final Name NAME = name("www.example.com.");
    private static final Name TARGET = name("host.example.net.");

    @Test
    void answerAfterACnameTakesTheSmallestTtl() throws Exception {
        Message m = response(Rcode.NOERROR);
        m.addRecord(new CNAMERecord(NAME, DClass.IN, 30, TARGET), Section.ANSWER);
        m.addRecord(a(TARGET, 600), Section.ANSWER);
        m.addRecord(a(name("unrelated.example.com."), 5), Section.ANSWER);

        Reading r = ResponseReader.read(m, NAME, Type.A);

        assertThat(r).isInstanceOfSatisfying(Reading.Records.class, rec -> {
            assertThat(rec.records()).hasSize(1);
            assertThat(rec.ttl()).isEqualTo(30);
        });
    }

    /** RFC 6604: the RCODE belongs to the last name of the chain. */
    @Test
    void nxDomainAfterACnameIsNxDomain() {
        Message m = response(Rcode.NXDOMAIN);
        m.addRecord(new CNAMERecord(NAME, DClass.IN, 30, TARGET), Section.ANSWER);
        m.addRecord(soa(3600, 300), Section.AUTHORITY);

        assertThat(ResponseReader.read(m, NAME, Type.A)).isEqualTo(new Reading.Negative(true, 30));
    }

    /** RFC 2308 §5: the negative TTL is the lesser of the SOA's TTL and its MINIMUM. */
    @Test
    void negativeTtlIsTheLesserOfSoaTtlAndMinimum() {
        Message m = response(Rcode.NOERROR);
        m.addRecord(soa(60, 300), Section.AUTHORITY);
        assertThat(ResponseReader.read(m, NAME, Type.A)).isEqualTo(new Reading.Negative(false, 60));
    }

    @Test
    void negativeAnswerWithoutSoaIsNotCacheable() {
        assertThat(ResponseReader.read(response(Rcode.NXDOMAIN), NAME, Type.A)).isEqualTo(new Reading.Negative(true, 0));
        assertThat(ResponseReader.read(response(Rcode.NOERROR), NAME, Type.A)).isEqualTo(new Reading.Negative(false, 0));
    }

    @Test
    void cnameWithoutTheTargetsDataIsIncomplete() {
        Message m = response(Rcode.NOERROR);
        m.addRecord(new CNAMERecord(NAME, DClass.IN, 30, TARGET), Section.ANSWER);
        assertThat(ResponseReader.read(m, NAME, Type.A)).isEqualTo(new Reading.Incomplete(TARGET, 30, false));
    }

    @Test
    void referralIsAFailureNotNoData() {
        Message m = response(Rcode.NOERROR);
        m.addRecord(new NSRecord(name("example.com."), DClass.IN, 3600, name("ns.example.com.")), Section.AUTHORITY);
        assertThat(ResponseReader.read(m, NAME, Type.A)).isInstanceOfSatisfying(Reading.Failed.class, f ->
                assertThat(f.kind()).isEqualTo(Kind.OTHER));
    }

    @Test
    void cnameLoopInTheAnswerIsServfail() {
        Message m = response(Rcode.NOERROR);
        m.addRecord(new CNAMERecord(NAME, DClass.IN, 30, TARGET), Section.ANSWER);
        m.addRecord(new CNAMERecord(TARGET, DClass.IN, 30, NAME), Section.ANSWER);
        assertThat(ResponseReader.read(m, NAME, Type.A)).isInstanceOfSatisfying(Reading.Failed.class, f ->
                assertThat(f.kind()).isEqualTo(Kind.SERVFAIL));
    }

    @Test
    void otherRcodesAreFailures() {
        assertThat(ResponseReader.read(response(Rcode.FORMERR), NAME, Type.A)).isInstanceOfSatisfying(Reading.Failed.class, f ->
                assertThat(f.detail()).contains("FORMERR"));
    }

    private static Message response(int rcode) {
        Message m = new Message(1);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(NAME, Type.A, DClass.IN), Section.QUESTION);
        return m;
    }

    private static ARecord a(Name owner, long ttl) {
        try {
            return new ARecord(owner, DClass.IN, ttl, InetAddress.getByName("192.0.2.1"));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static SOARecord soa(long ttl, long minimum) {
        return new SOARecord(name("example.com."), DClass.IN, ttl, name("ns.example.com."),
                name("hostmaster.example.com."), 1, 7200, 900, 1209600, minimum);
    }

    private static Name name(String s) {
        return DnsJavaNames.toName(s).orElseThrow();
    }
}

package io.postbus.core.dns.dnsjava;

import io.postbus.core.dns.MxRecord;
import io.postbus.core.dns.TlsaRecord;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One of the record types the contract asks for, with the decoder from dnsjava records to the
 * contract's values. Shared by every dnsjava-backed resolver so all of them decode alike.
 *
 * @param rrType the dnsjava {@link Type} constant
 * @param decoder turns the records of the answer RRset (all of {@code rrType}) into the value
 */
public record QueryType<T>(int rrType, Function<List<Record>, T> decoder) {

    public static final QueryType<List<String>> TXT = new QueryType<>(Type.TXT, QueryType::txt);
    public static final QueryType<List<MxRecord>> MX = new QueryType<>(Type.MX, QueryType::mx);
    public static final QueryType<List<InetAddress>> A = new QueryType<>(Type.A, QueryType::addresses);
    public static final QueryType<List<InetAddress>> AAAA =
            new QueryType<>(Type.AAAA, QueryType::addresses);
    public static final QueryType<List<String>> PTR = new QueryType<>(Type.PTR, QueryType::ptr);
    public static final QueryType<List<TlsaRecord>> TLSA = new QueryType<>(Type.TLSA, QueryType::tlsa);

    /**
     * Joins each record's character-strings without separators (RFC 7208 §3.3, RFC 6376 §3.6.2.2).
     * Works on the raw bytes: {@code TXTRecord.getStrings()} returns master-file escapes
     * ({@code \"}, {@code \\}), which would corrupt a record. The bytes are joined before decoding
     * so a UTF-8 sequence split across two strings still decodes.
     */
    private static List<String> txt(List<Record> records) {
        List<String> out = new ArrayList<>(records.size());
        for (Record r : records) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Object s : ((TXTRecord) r).getStringsAsByteArrays()) {
                joined.writeBytes((byte[]) s);
            }
            out.add(joined.toString(StandardCharsets.UTF_8));
        }
        return List.copyOf(out);
    }

    private static List<MxRecord> mx(List<Record> records) {
        return records.stream()
                .map(r -> (MXRecord) r)
                .map(r -> new MxRecord(r.getPriority(), r.getTarget().toString()))
                .toList();
    }

    /** Drops the host name dnsjava attaches to the address, so values print and compare plainly. */
    private static List<InetAddress> addresses(List<Record> records) {
        List<InetAddress> out = new ArrayList<>(records.size());
        for (Record r : records) {
            InetAddress a = r instanceof ARecord v4 ? v4.getAddress() : ((AAAARecord) r).getAddress();
            try {
                out.add(InetAddress.getByAddress(a.getAddress()));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("address of illegal length in " + r, e);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> ptr(List<Record> records) {
        return records.stream().map(r -> DnsJavaNames.toText(((PTRRecord) r).getTarget())).toList();
    }

    private static List<TlsaRecord> tlsa(List<Record> records) {
        return records.stream().map(r -> (TLSARecord) r)
                .map(r -> new TlsaRecord(r.getCertificateUsage(), r.getSelector(), r.getMatchingType(),
                        r.getCertificateAssociationData()))
                .toList();
    }
}

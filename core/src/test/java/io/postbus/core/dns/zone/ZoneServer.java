package io.postbus.core.dns.zone;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A real DNS server for tests: UDP and TCP on one loopback port, answering from a
 * {@link ZoneFileResolver} the way a recursive server in front of those zones would (CNAME
 * chains included, SOA in negative answers). Injected failures become wire behaviour: TIMEOUT is
 * silence, SERVFAIL and REFUSED are RCODEs, MALFORMED is a reply with the wrong id.
 *
 * <p>Over UDP an answer larger than the client's EDNS buffer (512 without EDNS) is sent truncated
 * with TC set, so clients have to retry over TCP. Counts every question it receives. Answers from
 * zones declared signed ({@link ZoneFileResolver#withSignedZones}) carry the AD bit.
 */
public final class ZoneServer implements AutoCloseable {
    private final ZoneFileResolver zones;
    private final boolean chaseCnames;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger tcpQueries = new AtomicInteger();

    private ZoneServer(ZoneFileResolver zones, boolean chaseCnames) throws IOException {
        this.zones = zones;
        this.chaseCnames = chaseCnames;
        Sockets sockets = bind();
        this.udp = sockets.udp();
        this.tcp = sockets.tcp();
        daemon("zone-server-udp", this::serveUdp).start();
        daemon("zone-server-tcp", this::acceptTcp).start();
    }

    private record Sockets(DatagramSocket udp, ServerSocket tcp) {}

    /** TCP must share the UDP port: a client retries a truncated answer on the same address. */
    private static Sockets bind() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                return new Sockets(udp, new ServerSocket(udp.getLocalPort(), 50, loopback));
            } catch (BindException e) {
                udp.close();
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** A server that follows CNAMEs through all its zones, like a recursive resolver. */
    public static ZoneServer start(ZoneFileResolver zones) throws IOException {
        return new ZoneServer(zones, true);
    }

    /** A server that answers only the first link of a CNAME chain, like an authoritative server. */
    public static ZoneServer startWithoutChasing(ZoneFileResolver zones) throws IOException {
        return new ZoneServer(zones, false);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** Questions received for (name, type), e.g. ("example.com", "TXT"), over UDP and TCP. */
    public int queries(String name, String type) {
        AtomicInteger n = counts.get(key(name, type));
        return n == null ? 0 : n.get();
    }

    public int totalQueries() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] reply = answer(query, false);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or a packet we could not parse: keep serving until closed
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                daemon("zone-server-tcp-conn", () -> serveTcp(s)).start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    /** RFC 1035 §4.2.2: each message is preceded by its two-byte length; one connection, many queries. */
    private void serveTcp(Socket socket) {
        try (socket;
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                tcpQueries.incrementAndGet();
                byte[] reply = answer(new Message(wire), true);
                if (reply != null) {
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // client closed the connection
        } catch (IOException e) {
            // closed
        }
    }

    /** The reply's bytes, or null for silence. */
    private byte[] answer(Message query, boolean overTcp) {
        Record question = query.getQuestion();
        counts.computeIfAbsent(key(question.getName().toString(), Type.string(question.getType())),
                k -> new AtomicInteger()).incrementAndGet();
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        reply.addRecord(question, Section.QUESTION);

        Resolution r = zones.resolve(question.getName(), question.getType());
        // A validating resolver's AD bit (RFC 4035 §3.2.3) for zones declared signed, only when the
        // client asked with AD or DO (RFC 6840 §5.7).
        boolean askedForAd = query.getHeader().getFlag(Flags.AD)
                || query.getOPT() != null && (query.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
        if (r.authenticated() && askedForAd) {
            reply.getHeader().setFlag(Flags.AD);
        }
        for (Record cname : r.chain()) {
            reply.addRecord(cname, Section.ANSWER);
            if (!chaseCnames) {
                return reply.toWire();
            }
        }
        if (r instanceof Resolution.Answered a) {
            a.records().forEach(rec -> reply.addRecord(rec, Section.ANSWER));
        } else if (r instanceof Resolution.NxDomain nx) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
            if (nx.soa() != null) {
                reply.addRecord(nx.soa(), Section.AUTHORITY);
            }
        } else if (r instanceof Resolution.NoData nd) {
            if (nd.soa() != null) {
                reply.addRecord(nd.soa(), Section.AUTHORITY);
            }
        } else if (r instanceof Resolution.Failed f) {
            switch (f.kind()) {
                case TIMEOUT:
                    return null;
                case MALFORMED:
                    reply.getHeader().setID((query.getHeader().getID() + 1) & 0xffff);
                    break;
                case REFUSED:
                    reply.getHeader().setRcode(Rcode.REFUSED);
                    break;
                case SERVFAIL:
                    reply.getHeader().setRcode(Rcode.SERVFAIL);
                    break;
                default:
                    reply.getHeader().setRcode(Rcode.NOTIMP);
            }
            reply.removeAllRecords(Section.ANSWER);
        }
        return overTcp ? reply.toWire() : truncateForUdp(query, reply);
    }

    private static byte[] truncateForUdp(Message query, Message reply) {
        OPTRecord opt = query.getOPT();
        int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
        byte[] wire = reply.toWire();
        if (wire.length <= limit) {
            return wire;
        }
        reply.removeAllRecords(Section.ANSWER);
        reply.removeAllRecords(Section.AUTHORITY);
        reply.getHeader().setFlag(Flags.TC);
        return reply.toWire();
    }

    private static String key(String name, String type) {
        String n = name.toLowerCase(Locale.ROOT);
        return (n.endsWith(".") ? n.substring(0, n.length() - 1) : n) + "/" + type.toUpperCase(Locale.ROOT);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}

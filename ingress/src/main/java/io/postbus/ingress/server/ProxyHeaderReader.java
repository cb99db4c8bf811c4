package io.postbus.ingress.server;

import io.postbus.ingress.proxy.ProxyDecision;
import io.postbus.ingress.proxy.ProxyPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PROXY protocol header a load balancer sends first, on listeners that require it:
 * nothing is said to the peer until the header is complete, an untrusted peer or a bad or late
 * header closes the connection without a reply, and the bytes after the header go to the session.
 */
final class ProxyHeaderReader {
    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderReader.class);

    private ProxyHeaderReader() {}

    /** Calls {@code onAccept} with the real client address and any bytes that followed the header. */
    static void read(Vertx vertx, NetSocket socket, ProxyPolicy policy, BiConsumer<InetSocketAddress, Buffer> onAccept) {
        InetSocketAddress peer = SmtpConnection.address(socket.remoteAddress());
        InetSocketAddress local = SmtpConnection.address(socket.localAddress());
        if (!policy.isTrustedProxy(peer.getAddress())) {
            log.info("PROXY listener: refusing {}, not a trusted proxy", peer);
            socket.close();
            return;
        }
        Buffer received = Buffer.buffer();
        long timer = vertx.setTimer(policy.headerTimeout().toMillis(), id -> {
            log.info("PROXY listener: {}: {}", peer, ((ProxyDecision.Refuse) policy.timedOut()).detail());
            socket.close();
        });
        socket.handler(bytes -> {
            received.appendBuffer(bytes);
            byte[] all = received.getBytes();
            ProxyDecision d = policy.evaluate(peer, local, all, all.length);
            if (d instanceof ProxyDecision.Wait) {
                return;
            }
            vertx.cancelTimer(timer);
            socket.handler(null);
            if (d instanceof ProxyDecision.Accept a) {
                onAccept.accept(a.client(), received.getBuffer(a.consumed(), received.length()));
            } else {
                log.info("PROXY listener: refusing {}: {}", peer, ((ProxyDecision.Refuse) d).detail());
                socket.close();
            }
        });
    }
}

package io.postbus.ingress.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A one-connection TCP balancer that behaves as an AWS NLB with proxy protocol v2 does: it holds
 * the PROXY header until the client's first bytes arrive and sends both in one write, so the
 * ClientHello reaches the server in the same segment as the header. Then it relays both ways.
 */
final class CoalescingProxy implements AutoCloseable {
    private final ServerSocket listen;

    CoalescingProxy(int backendPort, byte[] header) throws IOException {
        listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread relay = new Thread(() -> relay(backendPort, header), "coalescing-proxy");
        relay.setDaemon(true);
        relay.start();
    }

    int port() {
        return listen.getLocalPort();
    }

    private void relay(int backendPort, byte[] header) {
        try (Socket client = listen.accept(); Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            byte[] buf = new byte[16384];
            int n = client.getInputStream().read(buf);
            if (n < 0) {
                return;
            }
            byte[] first = new byte[header.length + n];
            System.arraycopy(header, 0, first, 0, header.length);
            System.arraycopy(buf, 0, first, header.length, n);
            backend.getOutputStream().write(first); // header and ClientHello in one write
            InputStream fromBackend = backend.getInputStream();
            OutputStream toClient = client.getOutputStream();
            Thread back = new Thread(() -> pipe(fromBackend, toClient), "coalescing-proxy-back");
            back.setDaemon(true);
            back.start();
            pipe(client.getInputStream(), backend.getOutputStream());
            back.join(5000);
        } catch (IOException | InterruptedException e) {
            // the test sees the consequences on its own socket
        }
    }

    private static void pipe(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        listen.close();
    }
}

package io.postbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picking free ports and writing host:port the way Kafka parses it. */
final class Ports {
    private Ports() {
    }

    /**
     * A port that was free on {@code host} a moment ago. KafkaRaftServer cannot report the port it
     * bound for port 0, so the port is chosen here; the caller retries if another process wins the
     * race for it.
     */
    static int pickFree(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    /**
     * Fails fast, with a message naming the port, when a fixed port is already taken. Without this
     * check the failure surfaces as a long Kafka stack trace after the controller has started.
     */
    static void requireFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + host + " is already in use", e);
        }
    }

    /** IPv6 literals need brackets in listener and bootstrap strings. */
    static String hostPort(String host, int port) {
        boolean ipv6Literal = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (ipv6Literal ? "[" + host + "]" : host) + ":" + port;
    }
}

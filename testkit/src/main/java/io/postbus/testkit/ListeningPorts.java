package io.postbus.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether something listens on a loopback TCP port, read from /proc/net/tcp rather than by
 * connecting: a probe connection would count as an SMTP session (smtp-sink -n limits sessions,
 * and Postfix would log and account one more client).
 */
final class ListeningPorts {
    private static final Path PROC_NET_TCP = Path.of("/proc/net/tcp");

    private ListeningPorts() {
    }

    static boolean readable() {
        return Files.isReadable(PROC_NET_TCP);
    }

    /** True when /proc/net/tcp lists 127.0.0.1:port in state LISTEN (0A). */
    static boolean isListening(int port) throws IOException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        for (String line : Files.readAllLines(PROC_NET_TCP)) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].equals(local) && f[3].equals("0A")) {
                return true;
            }
        }
        return false;
    }
}

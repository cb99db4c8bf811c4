package io.postbus.delivery.worker;

import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.FreePort;
import io.postbus.testkit.RunningTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private Dovecot LMTP server (Debian's dovecot-lmtpd): its own configuration, runtime and state
 * directories under a test directory, a TCP listener on a free loopback port, users from a
 * passwd-file, and a Maildir per user. Nothing of the system's /etc/dovecot is read.
 */
final class DovecotLmtp implements AutoCloseable {
    private final RunningTool process;
    private final int port;
    private final Path mail;
    private final Path log;

    private DovecotLmtp(RunningTool process, int port, Path mail, Path log) {
        this.process = process;
        this.port = port;
        this.mail = mail;
        this.log = log;
    }

    /** Starts Dovecot with {@code users} (full addresses) as its only mailboxes. */
    static DovecotLmtp start(Path dir, List<String> users) throws IOException {
        ExternalTool.require("dovecot");
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("users"), users.stream().map(u -> u + ":::::::\n").collect(Collectors.joining()));
        Path log = dir.resolve("dovecot.log");
        String self = System.getProperty("user.name");
        String selfGroup = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();
        String mailUser = self;
        String mailGroup = selfGroup;
        if ("root".equals(self)) {
            // Dovecot refuses mail access as root (UID or GID 0), so the mailboxes belong to nobody,
            // who must be able to reach them through JUnit's owner-only temporary directory.
            mailUser = "nobody";
            mailGroup = "nogroup";
            UserPrincipalLookupService names = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(mail, names.lookupPrincipalByName(mailUser));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        }
        int port = FreePort.pick();
        Path conf = Files.writeString(dir.resolve("dovecot.conf"), String.join("\n",
                "base_dir = " + dir.resolve("run"),
                "state_dir = " + dir.resolve("state"),
                "instance_name = postbus-test-" + port,
                "log_path = " + log,
                "protocols = lmtp",
                "listen = 127.0.0.1",
                "ssl = no",
                // The internal processes (auth, anvil, log) run as whoever started us: no system users needed.
                "default_internal_user = " + self,
                "default_internal_group = " + selfGroup,
                "default_login_user = " + self,
                "mail_uid = " + mailUser,
                "mail_gid = " + mailGroup,
                "mail_location = maildir:" + mail + "/%u",
                // Maildir files normally hold LF line ends; with CRLF kept, a stored file ends with
                // exactly the bytes we sent, so the test can compare them byte for byte.
                "mail_save_crlf = yes",
                "passdb {", "  driver = passwd-file", "  args = " + dir.resolve("users"), "}",
                "userdb {", "  driver = passwd-file", "  args = " + dir.resolve("users"), "}",
                "service lmtp {",
                "  inet_listener lmtp {", "    address = 127.0.0.1", "    port = " + port, "  }",
                "}", ""));
        RunningTool process = ExternalTool.start(List.of("dovecot", "-F", "-c", conf.toString()));
        try {
            process.awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
        } catch (AssertionError e) {
            process.close();
            throw new AssertionError(e.getMessage() + "\ndovecot.log:\n" + readLog(log), e);
        }
        return new DovecotLmtp(process, port, mail, log);
    }

    /** The next hop in the router's syntax. */
    String nextHop() {
        return "[127.0.0.1]:" + port;
    }

    /** The files in {@code user}'s Maildir/new, none when the mailbox was never created. */
    List<Path> newMail(String user) throws IOException {
        Path dir = mail.resolve(user).resolve("new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** Dovecot's own log, for failure messages. */
    String log() {
        return readLog(log);
    }

    private static String readLog(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}

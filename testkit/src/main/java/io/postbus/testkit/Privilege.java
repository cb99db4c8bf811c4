package io.postbus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The steps of a {@link PrivatePostfix} that need root: starting and stopping Postfix's master (postfix(1)
 * is reserved for the super-user), handing the data directory to the postfix user, killing and deleting
 * what belongs to that user. As root they run directly; as anyone else through {@code sudo -n}, which must
 * then be allowed without a password.
 */
final class Privilege {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final boolean root;

    private Privilege(boolean root) {
        this.root = root;
    }

    static Privilege detect() {
        boolean root = "0".equals(ExternalTool.run(TIMEOUT, List.of("id", "-u")).assertSuccess().stdout().trim());
        if (!root && !ExternalTool.run(TIMEOUT, List.of("sudo", "-n", "true")).succeeded()) {
            throw new IllegalStateException("a private Postfix needs root: run as root, or allow this user "
                    + "passwordless sudo (postfix(1) start is reserved for the super-user)");
        }
        return new Privilege(root);
    }

    /** True when this JVM runs as root; as root main.cf names mail_owner and setgid_group. */
    boolean root() {
        return root;
    }

    /** {@code command} as root: itself, or prefixed with sudo -n. */
    List<String> command(String... command) {
        List<String> c = new ArrayList<>();
        if (!root) {
            c.addAll(List.of("sudo", "-n"));
        }
        c.addAll(List.of(command));
        return c;
    }

    void chown(Path path, String user) {
        ExternalTool.run(TIMEOUT, command("chown", user, path.toString())).assertSuccess();
    }

    void kill(ProcessHandle p) {
        if (root) {
            p.destroyForcibly();
        } else {
            ExternalTool.run(TIMEOUT, command("kill", "-KILL", Long.toString(p.pid())));
        }
    }

    /** Deletes {@code dir} and everything below it, the queue files owned by postfix included. */
    void deleteTree(Path dir) {
        if (!root) {
            ExternalTool.run(TIMEOUT, command("rm", "-rf", "--one-file-system", dir.toString())).assertSuccess();
            return;
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) { // walk does not follow symbolic links
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

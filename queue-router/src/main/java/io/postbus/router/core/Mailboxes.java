package io.postbus.router.core;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maildir directories for the two mailbox transports, computed as paths only (nothing is touched
 * here; the delivery worker creates and writes them). Both refuse anything that would leave their
 * base directory: a recipient name or a table value is text from outside.
 */
final class Mailboxes {
    /** Names local(8) could have found in a password file: atext without '/', not starting with '.'. */
    private static final Pattern USER = Pattern.compile("[a-z0-9!#$%&'*+=?^_`{|}~-][a-z0-9!#$%&'*+=?^_`{|}~.-]*");

    private final Path spool;
    private final Optional<Path> virtualBase;

    Mailboxes(Path spool, Optional<Path> virtualBase) {
        this.spool = Objects.requireNonNull(spool, "spool").normalize();
        this.virtualBase = virtualBase.map(Path::normalize);
    }

    /** A Maildir path, or why there is none. */
    record Location(String directory, String problem) {
        boolean found() {
            return problem.isEmpty();
        }
    }

    /**
     * The local user's Maildir: {@code mail_spool_directory/user}. local(8) folds the user name to
     * lower case; a name that cannot be a directory name cannot be a local user either.
     */
    Optional<String> local(String user) {
        String name = user.toLowerCase(Locale.ROOT);
        if (!USER.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(spool.resolve(name).toString());
    }

    /**
     * virtual(8): the virtual_mailbox_maps value is a path below virtual_mailbox_base; with a trailing
     * '/' it is a Maildir, without one an mbox file, which Postbus does not write.
     */
    Location virtual(String value) {
        if (virtualBase.isEmpty()) {
            return new Location("", "virtual_mailbox_base is not set");
        }
        if (!value.endsWith("/")) {
            return new Location("", "mailbox '" + value + "' is an mbox file (no trailing /); Postbus delivers to Maildir only");
        }
        Path relative;
        try {
            relative = Path.of(value);
        } catch (InvalidPathException e) {
            return new Location("", "mailbox '" + value + "' is not a path");
        }
        Path dir = virtualBase.get().resolve(relative).normalize();
        if (relative.isAbsolute() || !dir.startsWith(virtualBase.get()) || dir.equals(virtualBase.get())) {
            return new Location("", "mailbox '" + value + "' is not a directory below virtual_mailbox_base");
        }
        return new Location(dir.toString(), "");
    }
}

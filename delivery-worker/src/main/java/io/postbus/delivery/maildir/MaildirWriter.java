package io.postbus.delivery.maildir;

import io.postbus.delivery.maildir.MaildirResult.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Writes one message into a Maildir the way the spec makes safe without locks: into {@code tmp/}
 * under a unique name, fsync, then one atomic rename into {@code new/} and an fsync of {@code new/}
 * so the rename itself survives a crash. A reader only ever sees whole files in {@code new/}; a
 * crash or a failed write leaves at most a file in {@code tmp/}, which Maildir readers clean up.
 */
public final class MaildirWriter {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /** Writes the content into the open tmp file; a seam so a test can fail a write halfway. */
    @FunctionalInterface
    interface ContentWriter {
        void write(FileChannel channel, byte[] content) throws IOException;
    }

    private final MaildirNames names;
    private final ContentWriter writer;

    public MaildirWriter(MaildirNames names) {
        this(names, MaildirWriter::writeFully);
    }

    MaildirWriter(MaildirNames names, ContentWriter writer) {
        this.names = Objects.requireNonNull(names, "names");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Delivers {@code content} as one new message into the Maildir at {@code maildir}. Never throws for I/O. */
    public MaildirResult deliver(Path maildir, byte[] content) {
        Path tmp;
        Path fresh;
        try {
            ensureDirectory(maildir);
            tmp = ensureDirectory(maildir.resolve("tmp"));
            fresh = ensureDirectory(maildir.resolve("new"));
            ensureDirectory(maildir.resolve("cur"));
        } catch (IOException e) {
            return failure(e, "cannot create maildir " + maildir);
        }
        String name = names.next(content.length);
        Path tmpFile = tmp.resolve(name);
        try {
            try (FileChannel ch = FileChannel.open(tmpFile, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(FILE_MODE))) {
                writer.write(ch, content);
                ch.force(true);
            }
        } catch (IOException e) {
            deleteQuietly(tmpFile);
            return failure(e, "cannot write maildir file " + tmpFile);
        }
        Path target = fresh.resolve(name);
        try {
            Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmpFile);
            return failure(e, "cannot rename " + tmpFile + " to " + target);
        }
        try {
            fsyncDirectory(fresh);
        } catch (IOException e) {
            // The name is in new/ but may not survive a crash. Reporting a deferral would deliver it
            // twice when the retry comes, so this is the same trade Postfix makes: the file is there.
            return new MaildirResult(Status.DELIVERED, target, "delivered to maildir (directory sync failed: " + e + ")");
        }
        return new MaildirResult(Status.DELIVERED, target, "delivered to maildir");
    }

    private static Path ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(dir.toString());
        }
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(DIR_MODE);
        try {
            Files.createDirectories(dir, mode);
        } catch (FileAlreadyExistsException e) {
            // A racing delivery made it (fine) or something else is there (not fine).
            if (!Files.isDirectory(dir)) {
                throw new NotDirectoryException(dir.toString());
            }
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            fsyncDirectory(parent);
        }
        return dir;
    }

    private static MaildirResult failure(IOException e, String what) {
        Status status = e instanceof NotDirectoryException || e instanceof AccessDeniedException
                ? Status.MAILBOX_UNAVAILABLE : Status.SYSTEM_ERROR;
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new MaildirResult(status, null, what + ": " + reason);
    }

    private static void writeFully(FileChannel ch, byte[] content) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Left in tmp/: harmless, never seen by a reader, removed by Maildir cleanup.
        }
    }
}

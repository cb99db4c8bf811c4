package io.postbus.core.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a file looks like right now, following symbolic links afresh each time. The real path and
 * the file key (device and inode on Unix) catch kubelet's ConfigMap update, which swaps a
 * {@code ..data} symlink to a new directory: the new file may well have the same size and even the
 * same modification time, but it is a different file. A missing or unreadable file has its own
 * stamp, so that a vanished file is noticed too.
 */
record FileStamp(String realPath, Object fileKey, FileTime modified, long size, String problem) {

    static FileStamp of(Path path) {
        try {
            Path real = path.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            return new FileStamp(real.toString(), attributes.fileKey(), attributes.lastModifiedTime(), attributes.size(), null);
        } catch (IOException | SecurityException e) {
            return new FileStamp(null, null, null, -1, e.getClass().getSimpleName());
        }
    }
}

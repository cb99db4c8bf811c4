package io.postbus.auth.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared conformance data lives, and the LF → CRLF step every DKIM runner needs. */
final class Conformance {
    static final Path DIR = Path.of(System.getProperty("postbus.shared.dir", "../../shared")).resolve("conformance");

    private Conformance() {}

    static Path path(String first, String... more) {
        return DIR.resolve(Path.of(first, more));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The README's advice: convert every bare LF to CRLF before canonicalization. */
    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] crlf(Path file) {
        try {
            byte[] raw = Files.readAllBytes(file);
            String latin = new String(raw, StandardCharsets.ISO_8859_1);
            return latin.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.postbus.delivery.shaping;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The meaningful lines of a shaping or backoff file, each with its line number: blank lines and
 * {@code #} comments dropped, a trailing CR dropped (files edited on Windows read the same), and a
 * line starting with white space joined to the one before (Postfix's continuation lines).
 */
final class RuleLines {
    record Line(int number, String text) {}

    private RuleLines() {}

    static String read(Path file) {
        try {
            return Files.readString(file); // strict UTF-8: malformed input is an error, not U+FFFD
        } catch (CharacterCodingException e) {
            throw new ShapingFileException(file.toString(), 0, "not valid UTF-8");
        } catch (IOException e) {
            throw new ShapingFileException(file.toString(), 0, "cannot read: " + e);
        }
    }

    static List<Line> of(String text, String source) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.indexOf('\0') >= 0) {
                throw new ShapingFileException(source, i + 1, "NUL character");
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (out.isEmpty()) {
                    throw new ShapingFileException(source, i + 1, "continuation line without an entry before it");
                }
                Line previous = out.remove(out.size() - 1);
                out.add(new Line(previous.number(), previous.text() + " " + trimmed));
            } else {
                out.add(new Line(i + 1, trimmed));
            }
        }
        return out;
    }
}

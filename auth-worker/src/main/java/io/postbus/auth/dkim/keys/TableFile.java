package io.postbus.auth.dkim.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The flat-file format both OpenDKIM tables share (opendkim(8), DATA SETS): one entry a line, the key up
 * to the first white space and the value after it; '#' starts a comment; blank lines are ignored.
 */
final class TableFile {
    /** One entry, with its line number for error messages. */
    record Line(int number, String key, String value) {}

    private TableFile() {}

    static List<Line> read(Path file) throws TableFormatException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new TableFormatException(file, 0, "cannot read the table (" + e.getClass().getSimpleName() + ")");
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] kv = line.split("\\s+", 2);
            if (kv.length < 2) {
                throw new TableFormatException(file, i + 1, "a key without a value: " + kv[0]);
            }
            out.add(new Line(i + 1, kv[0], kv[1].strip()));
        }
        return out;
    }

    /**
     * A refile pattern: '*' matches any run of characters, everything else itself, ignoring case
     * (addresses and domain names compare case-insensitively).
     */
    static boolean wildcardMatches(String pattern, String text) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String t = text.toLowerCase(Locale.ROOT);
        int pi = 0;
        int ti = 0;
        int star = -1;
        int starText = 0;
        while (ti < t.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                starText = ti;
            } else if (pi < p.length() && p.charAt(pi) == t.charAt(ti)) {
                pi++;
                ti++;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++starText;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}

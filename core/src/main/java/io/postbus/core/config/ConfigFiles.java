package io.postbus.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a main.cf-style file: {@code key = value} lines, {@code #} comments, and continuation lines
 * that start with white space (as in Postfix). Only the syntax is checked here; keys and values are
 * checked by the {@link ConfigDef}.
 */
public final class ConfigFiles {
    private ConfigFiles() {}

    public static Map<String, String> read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        String key = null;
        StringBuilder value = null;
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (key == null) {
                    throw new ConfigException(source + ":" + lineNo + ": continuation line without a key");
                }
                value.append(' ').append(line.trim());
                continue;
            }
            if (key != null) {
                out.put(key, value.toString());
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(source + ":" + lineNo + ": expected 'key = value'");
            }
            key = line.substring(0, eq).trim();
            value = new StringBuilder(line.substring(eq + 1).trim());
            if (out.containsKey(key)) {
                throw new ConfigException(source + ":" + lineNo + ": '" + key + "' set twice");
            }
        }
        if (key != null) {
            out.put(key, value.toString());
        }
        return out;
    }
}

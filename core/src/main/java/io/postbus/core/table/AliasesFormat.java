package io.postbus.core.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The aliases(5) format: {@code name: value, value, ...} with continuation lines. A name may be
 * quoted ({@code "foo bar": ...}) and must be local (no '@' or '%'), as postalias(1) requires.
 *
 * <p>Unlike Postfix, where local(8) reads {@code :include:/file} at delivery time, includes are
 * expanded here at load time, so that the recipient validator and the router see one flat list
 * and a ReloadingTable can watch the included files too. An include path may be absolute or
 * relative to the file that names it; include files hold destinations separated by commas or
 * new lines, with '#' comment lines, and may include further files up to a depth limit.
 * The stored value is the destinations joined with {@code ", "}.
 */
public final class AliasesFormat {
    /** Depth used when none is given; sendmail and Postfix set no number, deep nesting is a mistake. */
    public static final int DEFAULT_MAX_INCLUDE_DEPTH = 10;
    private static final String INCLUDE = ":include:";

    /** Reads an :include: file; the default reads the file system. */
    @FunctionalInterface
    public interface IncludeReader {
        byte[] read(Path file) throws IOException;
    }

    private final IncludeReader reader;
    private final int maxIncludeDepth;
    private final Set<Path> filesRead = new LinkedHashSet<>();
    private final Deque<Path> includeStack = new ArrayDeque<>();

    private AliasesFormat(IncludeReader reader, int maxIncludeDepth) {
        if (maxIncludeDepth < 0) {
            throw new IllegalArgumentException("include depth limit must be >= 0: " + maxIncludeDepth);
        }
        this.reader = reader;
        this.maxIncludeDepth = maxIncludeDepth;
    }

    /** Parses alias text; relative includes resolve against {@code baseDir}. */
    public static TableSnapshot parse(String text, String source, Path baseDir, IncludeReader reader, int maxIncludeDepth) {
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(reader, "reader");
        return new AliasesFormat(reader, maxIncludeDepth).table(SourceText.lines(text, source), source, baseDir, List.of());
    }

    /** Parses alias text with includes read from the file system. */
    public static TableSnapshot parse(String text, String source, Path baseDir) {
        return parse(text, source, baseDir, Files::readAllBytes, DEFAULT_MAX_INCLUDE_DEPTH);
    }

    static TableSnapshot load(Path file, List<String> lines, int maxIncludeDepth) {
        AliasesFormat format = new AliasesFormat(Files::readAllBytes, maxIncludeDepth);
        format.includeStack.push(file.toAbsolutePath().normalize());
        Path dir = file.toAbsolutePath().getParent();
        return format.table(lines, file.toString(), dir, List.of(file));
    }

    private TableSnapshot table(List<String> lines, String source, Path baseDir, List<Path> mainFile) {
        Map<String, String> entries = new HashMap<>();
        Map<String, Integer> firstSeen = new HashMap<>();
        List<TableWarning> warnings = new ArrayList<>();
        for (LogicalLines.Line line : LogicalLines.of(lines, source)) {
            String text = line.text();
            int colon = ValueList.indexOutsideQuotes(text, ':');
            if (colon < 0) {
                throw error(source, line.number(), TableParseException.Problem.UNBALANCED_QUOTE, "unbalanced '\"'");
            }
            String rawName = SourceText.trim(text.substring(0, colon));
            if (colon == text.length() || rawName.isEmpty() || ValueList.containsOutsideQuotes(rawName, ',')) {
                throw error(source, line.number(), TableParseException.Problem.NEED_NAME_VALUE, "need name:value pair");
            }
            if (ValueList.containsOutsideQuotes(rawName, '@') || ValueList.containsOutsideQuotes(rawName, '%')) {
                throw error(source, line.number(), TableParseException.Problem.NAME_NOT_LOCAL, "name must be local");
            }
            String value = text.substring(colon + 1);
            if (!ValueList.quotesBalanced(value)) {
                throw error(source, line.number(), TableParseException.Problem.UNBALANCED_QUOTE, "unbalanced '\"'");
            }
            List<String> destinations = new ArrayList<>();
            expand(ValueList.split(value), source, line.number(), baseDir, 0, destinations);
            if (destinations.isEmpty()) {
                throw error(source, line.number(), TableParseException.Problem.NEED_NAME_VALUE,
                        "need name:value pair (no destinations for '" + rawName + "')");
            }
            String name = TableSnapshot.fold(unquote(rawName));
            Integer first = firstSeen.putIfAbsent(name, line.number());
            if (first != null) {
                warnings.add(new TableWarning(source, line.number(), TableWarning.Kind.DUPLICATE_KEY,
                        "duplicate entry: \"" + name + "\" (keeping the one from line " + first + ")"));
                continue;
            }
            entries.put(name, String.join(", ", destinations));
        }
        List<Path> sources = new ArrayList<>(mainFile);
        sources.addAll(filesRead);
        return new TableSnapshot(source, entries, warnings, sources);
    }

    /** Appends destinations, replacing each :include: by the destinations of that file. */
    private void expand(List<String> tokens, String source, int lineNo, Path baseDir, int depth, List<String> out) {
        for (String token : tokens) {
            String unquoted = unquote(token);
            if (!unquoted.regionMatches(true, 0, INCLUDE, 0, INCLUDE.length())) {
                out.add(token);
                continue;
            }
            String target = SourceText.trim(unquoted.substring(INCLUDE.length()));
            if (target.isEmpty()) {
                throw error(source, lineNo, TableParseException.Problem.UNREADABLE, ":include: without a file name");
            }
            if (depth + 1 > maxIncludeDepth) {
                throw error(source, lineNo, TableParseException.Problem.INCLUDE_TOO_DEEP,
                        ":include: nested deeper than " + maxIncludeDepth + " at " + target);
            }
            Path file = baseDir.resolve(target).toAbsolutePath().normalize();
            if (includeStack.contains(file)) {
                throw error(source, lineNo, TableParseException.Problem.INCLUDE_CYCLE, ":include: loop through " + file);
            }
            includeFile(file, source, lineNo, depth + 1, out);
        }
    }

    private void includeFile(Path file, String source, int lineNo, int depth, List<String> out) {
        byte[] bytes;
        try {
            bytes = reader.read(file);
        } catch (IOException | RuntimeException e) {
            throw error(source, lineNo, TableParseException.Problem.UNREADABLE,
                    "cannot read :include: file " + file + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        filesRead.add(file);
        includeStack.push(file);
        String includeSource = file.toString();
        List<String> lines = SourceText.lines(bytes, includeSource);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (SourceText.isBlankOrComment(line)) {
                continue;
            }
            if (!ValueList.quotesBalanced(line)) {
                throw error(includeSource, i + 1, TableParseException.Problem.UNBALANCED_QUOTE, "unbalanced '\"'");
            }
            expand(ValueList.split(line), includeSource, i + 1, file.getParent(), depth, out);
        }
        includeStack.pop();
    }

    private static String unquote(String token) {
        if (token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"")) {
            return token.substring(1, token.length() - 1);
        }
        return token;
    }

    private static TableParseException error(String source, int line, TableParseException.Problem problem, String detail) {
        return new TableParseException(source, line, problem, detail);
    }
}

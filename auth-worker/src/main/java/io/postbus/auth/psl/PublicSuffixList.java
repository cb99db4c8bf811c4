package io.postbus.auth.psl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Public Suffix List (https://publicsuffix.org/list/): which names are public suffixes, and so
 * which name is the registrable domain, RFC 7489 §3.2's Organizational Domain.
 *
 * <p>The list format: one rule per line (the first whitespace-free token), {@code //} comments,
 * {@code *.} wildcard rules, {@code !} exception rules, Unicode or punycode labels, and the
 * {@code ===BEGIN ICANN DOMAINS===} / {@code ===BEGIN PRIVATE DOMAINS===} section markers. The
 * algorithm (publicsuffix.org/list "Algorithm"): an exception rule prevails; otherwise the matching
 * rule with the most labels; otherwise the implicit rule {@code *}, so an unlisted TLD is a public
 * suffix. Matching is on lower-case A-labels; answers keep the caller's labels (lower-cased).
 *
 * <p>Immutable and thread-safe.
 */
public final class PublicSuffixList {

    /** Where Debian's {@code publicsuffix} package installs the list. */
    public static final Path DEBIAN_LIST = Path.of("/usr/share/publicsuffix/public_suffix_list.dat");

    /** The two parts of the list; DMARC uses both (a PRIVATE entry such as github.io has many owners). */
    public enum Section { ICANN, PRIVATE }

    private final Set<String> normal;
    private final Set<String> wildcard; // the part after "*."
    private final Set<String> exception; // the part after "!"

    private PublicSuffixList(Set<String> normal, Set<String> wildcard, Set<String> exception) {
        this.normal = Set.copyOf(normal);
        this.wildcard = Set.copyOf(wildcard);
        this.exception = Set.copyOf(exception);
    }

    /** Parses the list's lines, keeping rules of both sections. */
    public static PublicSuffixList parse(List<String> lines) {
        return parse(lines, EnumSet.allOf(Section.class));
    }

    /**
     * Parses the list's lines, keeping only rules in {@code sections}. Rules outside any section
     * marker count as ICANN. A rule IDNA cannot convert is skipped: it could never match a name we
     * can convert either.
     */
    public static PublicSuffixList parse(List<String> lines, Set<Section> sections) {
        Set<String> normal = new HashSet<>();
        Set<String> wildcard = new HashSet<>();
        Set<String> exception = new HashSet<>();
        Section section = Section.ICANN;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.startsWith("//")) {
                if (line.contains("===BEGIN PRIVATE DOMAINS===")) {
                    section = Section.PRIVATE;
                } else if (line.contains("===BEGIN ICANN DOMAINS===")) {
                    section = Section.ICANN;
                }
                continue;
            }
            if (line.isEmpty() || !sections.contains(section)) {
                continue;
            }
            String rule = line.split("\\s", 2)[0];
            if (rule.startsWith("!")) {
                DomainLabels.toAscii(rule.substring(1)).ifPresent(exception::add);
            } else if (rule.startsWith("*.")) {
                DomainLabels.toAscii(rule.substring(2)).ifPresent(wildcard::add);
            } else {
                DomainLabels.toAscii(rule).ifPresent(normal::add);
            }
        }
        return new PublicSuffixList(normal, wildcard, exception);
    }

    public static PublicSuffixList load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read public suffix list " + file, e);
        }
    }

    /**
     * The list from {@code configured} when given (it must exist), else Debian's
     * {@link #DEBIAN_LIST}. Fails fast at startup when there is neither: DMARC without the list
     * would treat every subdomain as its own organization.
     */
    public static PublicSuffixList locate(Optional<Path> configured) {
        return locate(configured, List.of(DEBIAN_LIST));
    }

    static PublicSuffixList locate(Optional<Path> configured, List<Path> systemCandidates) {
        if (configured.isPresent()) {
            if (!Files.isReadable(configured.get())) {
                throw new IllegalStateException("configured public suffix list not readable: " + configured.get());
            }
            return load(configured.get());
        }
        for (Path candidate : systemCandidates) {
            if (Files.isReadable(candidate)) {
                return load(candidate);
            }
        }
        throw new IllegalStateException("no public suffix list: configure its path or install the Debian package "
                + "'publicsuffix' (" + systemCandidates + ")");
    }

    /** Number of rules kept (all three kinds). */
    public int size() {
        return normal.size() + wildcard.size() + exception.size();
    }

    /**
     * The public suffix of {@code domain}, in the caller's form. Empty for null, empty, a leading
     * dot or an unusable name (see {@link DomainLabels#of}).
     */
    public Optional<String> publicSuffix(String domain) {
        return DomainLabels.of(domain).map(l -> l.givenSuffix(suffixLabels(l)));
    }

    /**
     * The registrable domain (public suffix plus one label), RFC 7489 §3.2's Organizational
     * Domain, in the caller's form. Empty when the name is itself a public suffix or unusable.
     */
    public Optional<String> registrableDomain(String domain) {
        Optional<DomainLabels> labels = DomainLabels.of(domain);
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        DomainLabels l = labels.get();
        int suffix = suffixLabels(l);
        return suffix >= l.size() ? Optional.empty() : Optional.of(l.givenSuffix(suffix + 1));
    }

    /** How many rightmost labels of {@code l} form its public suffix. */
    private int suffixLabels(DomainLabels l) {
        int n = l.size();
        // An exception rule prevails over every other rule: its public suffix drops its leftmost label.
        for (int count = n; count >= 1; count--) {
            if (exception.contains(l.asciiSuffix(count))) {
                return count - 1;
            }
        }
        // Otherwise the matching rule with the most labels; walking from the longest suffix, the
        // first match is that rule. A wildcard "*.x" matches any one label in front of x.
        for (int count = n; count >= 1; count--) {
            if (normal.contains(l.asciiSuffix(count))) {
                return count;
            }
            if (count >= 2 && wildcard.contains(l.asciiSuffix(count - 1))) {
                return count;
            }
        }
        return 1; // the implicit "*" rule: an unlisted TLD is a public suffix
    }

    @Override
    public String toString() {
        return "PublicSuffixList[" + size() + " rules]";
    }
}

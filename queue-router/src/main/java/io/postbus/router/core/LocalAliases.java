package io.postbus.router.core;

import io.postbus.core.address.MailAddress;
import io.postbus.core.address.RecipientDelimiter;
import io.postbus.core.table.LookupTable;
import io.postbus.core.table.ValueList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * alias_maps as local(8) reads them (aliases(5)): looked up by the local part only, with the
 * extension first and then without it ({@code user+foo}, then {@code user}); no extension is
 * propagated, since propagate_unmatched_extensions does not name alias by default. The
 * {@code :include:} lists are already expanded by the table loader (ADR 0004). A value is a list
 * of destinations; {@code |command} and {@code /file} (or {@code ~/file}) are kept as such so the
 * resolver can refuse them by name.
 */
final class LocalAliases {
    private final List<LookupTable> tables;
    private final RecipientDelimiter delimiter;
    private final String myorigin;

    LocalAliases(List<LookupTable> tables, RecipientDelimiter delimiter, String myorigin) {
        this.tables = List.copyOf(tables);
        this.delimiter = Objects.requireNonNull(delimiter, "delimiter");
        this.myorigin = Objects.requireNonNull(myorigin, "myorigin");
    }

    /** What an alias destination is. */
    enum Kind {
        /** An address: local ones are expanded further, others forwarded. */
        ADDRESS,
        /** {@code |command}: local(8) would run it; we do not run commands. */
        COMMAND,
        /** {@code /file/name} or {@code ~/file}: local(8) would append to it; we do not write files. */
        FILE
    }

    /** One destination; {@code address} is set for ADDRESS only, completed with @myorigin. */
    record Target(Kind kind, String text, MailAddress address) {}

    /** A matched alias: the name it matched by and its destinations, in table order. */
    record Alias(String name, List<Target> targets) {}

    Optional<Alias> find(MailAddress recipient) {
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>(2);
        names.add(recipient.localPart());
        delimiter.split(recipient.localPart()).ifPresent(s -> names.add(s.base()));
        for (String name : names) {
            for (LookupTable t : tables) {
                Optional<String> value = t.get(name);
                if (value.isPresent()) {
                    return Optional.of(new Alias(name, targets(value.get())));
                }
            }
        }
        return Optional.empty();
    }

    private List<Target> targets(String value) {
        List<Target> out = new ArrayList<>();
        for (String token : ValueList.split(value)) {
            String t = unquoteWhole(token);
            if (t.startsWith("|")) {
                out.add(new Target(Kind.COMMAND, t, null));
            } else if (t.startsWith("/") || t.startsWith("~")) {
                out.add(new Target(Kind.FILE, t, null));
            } else {
                // A leading backslash (as in a quoted user name) only quotes the name in RFC 822; what matters is
                // the name, and an alias that names itself is delivered to the mailbox anyway.
                String a = token.startsWith("\\") ? token.substring(1) : token;
                try {
                    out.add(new Target(Kind.ADDRESS, token, MailAddress.parse(a).qualify(myorigin)));
                } catch (IllegalArgumentException e) {
                    out.add(new Target(Kind.ADDRESS, token, null));
                }
            }
        }
        return out;
    }

    private static String unquoteWhole(String token) {
        return token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"")
                ? token.substring(1, token.length() - 1) : token;
    }
}

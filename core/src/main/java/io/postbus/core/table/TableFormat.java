package io.postbus.core.table;

/** The two text formats Postfix builds tables from. */
public enum TableFormat {
    /** postmap(1) input: {@code key whitespace value} (virtual, canonical, relay_recipients, ...). */
    POSTMAP,
    /** postalias(1) input, aliases(5): {@code name: value, value}, with :include: files. */
    ALIASES
}

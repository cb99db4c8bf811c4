package io.postbus.core.address;

/**
 * Postfix's address classes (ADDRESS_CLASS_README): which domain list a recipient domain is in
 * decides which recipient table validates it and which transport delivers it.
 */
public enum AddressClass {
    /** mydestination: final delivery to local users; validated by local_recipient_maps. */
    LOCAL("local recipient table"),
    /** virtual_alias_domains: every address must be aliased elsewhere by virtual_alias_maps. */
    VIRTUAL_ALIAS("virtual alias table"),
    /** virtual_mailbox_domains: final delivery to mailboxes listed in virtual_mailbox_maps. */
    VIRTUAL_MAILBOX("virtual mailbox table"),
    /** relay_domains: we accept from anyone and pass on; validated by relay_recipient_maps. */
    RELAY("relay recipient table"),
    /** Any other domain: only clients that may relay can send there. */
    DEFAULT(null);

    private final String recipientTable;

    AddressClass(String recipientTable) {
        this.recipientTable = recipientTable;
    }

    /** The table name in Postfix's "User unknown in ..." reply; null for DEFAULT, which has none. */
    public String recipientTable() {
        return recipientTable;
    }
}

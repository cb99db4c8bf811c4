package io.postbus.cli;

import static io.postbus.core.config.ConfigType.BOOLEAN;
import static io.postbus.core.config.ConfigType.DURATION;
import static io.postbus.core.config.ConfigType.INT;
import static io.postbus.core.config.ConfigType.LIST;
import static io.postbus.core.config.ConfigType.SIZE;
import static io.postbus.core.config.ConfigType.STRING;

import io.postbus.core.config.ConfigDef;
import java.util.List;
import io.postbus.core.dns.dnsjava.DnssecTrust;
import java.util.Set;

/**
 * Every configuration key of a Postbus process, declared once. Names follow Postfix's main.cf
 * where Postfix has the same knob (with dots for underscores), so an admin finds them by the name
 * they already know. `postbus config-reference` prints this table.
 */
public final class PostbusSettings {
    private PostbusSettings() {}

    private static final java.util.function.Predicate<Object> POSITIVE = v -> !((java.time.Duration) v).isZero();

    public static final ConfigDef DEF = new ConfigDef()
            .define("node.name", STRING, "", "This process's name in events, Received headers and transactional ids; empty = the host name.")
            .define("node.number", INT, "0", v -> (Integer) v >= 0, ">= 0", "Unique number of this ingress node; part of every queue id, so ids are unique across nodes.")
            .define("myhostname", STRING, "", "Our host name in the SMTP greeting and Received headers (Postfix myhostname); empty = the host name.")
            .define("data.dir", STRING, "./data", "Where the embedded broker keeps its log; a restart on the same directory loses nothing.")
            .define("kafka.bootstrap.servers", STRING, "", "An external Kafka cluster; empty = start the in-process broker (the embedded default).")
            .define("kafka.embedded.host", STRING, "127.0.0.1", "Address the in-process broker binds to.")
            .define("kafka.embedded.port", INT, "0", v -> (Integer) v >= 0 && (Integer) v < 65536, "0..65535", "Port of the in-process broker; 0 = a private free port (9092 with --expose-kafka).")
            .define("kafka.topic.prefix", STRING, "postbus.", "Prefix of every topic name.")
            .define("kafka.partitions", INT, "6", v -> (Integer) v >= 1, ">= 1", "Partitions of each topic created at start: the most consumers a stage can scale to.")
            .define("kafka.replication.factor", INT, "1", v -> (Integer) v >= 1 && (Integer) v <= 32767, "1..32767", "Replication factor of topics created at start; use 3 on a real cluster.")
            .define("kafka.compression", STRING, "lz4", v -> Set.of("none", "gzip", "snappy", "lz4", "zstd").contains(v), "none, gzip, snappy, lz4, zstd", "Producer compression of records (whole messages).")
            .define("kafka.mail.retention", DURATION, "7d", "How long message topics keep records (replay window).")
            .define("kafka.events.retention", DURATION, "30d", "How long mail.events keeps records (mailq, reports, forensics).")
            .define("smtp.listen", STRING, "127.0.0.1:2525", "Port-25-style listener (MX: mail from the world); empty = off.")
            .define("submission.listen", STRING, "127.0.0.1:2587", "Submission listener (STARTTLS, then AUTH); empty = off.")
            .define("submissions.listen", STRING, "127.0.0.1:2465", "Implicit-TLS submission listener (RFC 8314); empty = off.")
            .define("http.listen", STRING, "127.0.0.1:8025", "HTTP listener for /metrics (Prometheus) and /health; empty = off.")
            .define("message.size.limit", SIZE, "35m", v -> (Long) v >= 1024 && (Long) v <= (512L << 20), "1k..512m", "Largest message accepted (SIZE); topics are set up to carry it (Postfix message_size_limit).")
            .define("smtpd.recipient.limit", INT, "1000", v -> (Integer) v >= 1, ">= 1", "Recipients per message (Postfix smtpd_recipient_limit).")
            .define("smtpd.hard.error.limit", INT, "20", v -> (Integer) v >= 1, ">= 1", "Errors in one session before we disconnect (Postfix smtpd_hard_error_limit).")
            .define("smtpd.session.message.limit", INT, "1000", v -> (Integer) v >= 1, ">= 1", "Messages one SMTP session may send; then 452 4.5.3 until the client reconnects.")
            .define("smtpd.greet.pause", DURATION, "0s", "Wait this long before the SMTP banner on port 25; a client that talks first is refused (postscreen's pregreet test). 0 = greet at once.")
            .define("proxy.protocol.listeners", LIST, "", v -> ((java.util.List<?>) v).stream().allMatch(x -> java.util.Set.of("smtp", "submission", "submissions").contains(x)), "smtp, submission, submissions", "Listeners that require a PROXY protocol v1/v2 header first (behind a load balancer); on submissions it comes in clear text before the TLS handshake (TLS passthrough).")
            .define("proxy.trusted.networks", LIST, "", "Load balancers allowed to send the PROXY header; required when proxy.protocol.listeners is set.")
            .define("smtpd.max.sessions", INT, "1000", v -> (Integer) v >= 1, ">= 1", "SMTP sessions one ingress node holds at once; beyond it 421 4.3.2.")
            .define("smtpd.client.connection.count.limit", INT, "50", v -> (Integer) v >= 1, ">= 1", "Sessions one client address may hold at once; mynetworks exempt (Postfix smtpd_client_connection_count_limit).")
            .define("smtpd.client.connection.rate.limit", INT, "0", v -> (Integer) v >= 0, ">= 0", "Connections one client address may open per minute, 0 = no limit; mynetworks exempt (Postfix smtpd_client_connection_rate_limit).")
            .define("smtpd.client.command.rate.limit", INT, "10000", v -> (Integer) v >= 0, ">= 0", "Commands (RCPT included) one client may send per minute over all its sessions on a node, 0 = no limit; beyond it 421 4.7.0 and a disconnect. IPv6 per /64, mynetworks exempt.")
            .define("smtpd.client.message.rate.limit", INT, "0", v -> (Integer) v >= 0, ">= 0", "Messages (MAIL commands) one client may send per minute on a node, 0 = no limit; beyond it 450 4.7.1. IPv6 per /64, mynetworks exempt (Postfix smtpd_client_message_rate_limit).")
            .define("smtpd.client.recipient.rate.limit", INT, "0", v -> (Integer) v >= 0, ">= 0", "Recipients (RCPT commands) one client may send per minute on a node, 0 = no limit; beyond it 450 4.7.1. IPv6 per /64, mynetworks exempt (Postfix smtpd_client_recipient_rate_limit).")
            .define("dnsbl.sites", STRING, "", "DNSBLs checked at connect on port 25, Postfix postscreen_dnsbl_sites syntax: zone[=filter][*weight], e.g. zen.spamhaus.org*3 list.dnswl.org=127.0.[0..255].[1..3]*-2; empty = off.")
            .define("dnsbl.threshold", INT, "1", v -> (Integer) v >= 1, ">= 1", "Score at which a client is refused with 554 5.7.1 (Postfix postscreen_dnsbl_threshold).")
            .define("dnsbl.timeout", DURATION, "10s", "Longest wait for all DNSBL answers; a list that does not answer counts as not listed.")
            .define("smtpd.timeout", DURATION, "300s", POSITIVE, "> 0", "Time allowed waiting for the next command (RFC 5321 §4.5.3.2.7; Postfix smtpd_timeout); then 421 4.4.2.")
            .define("smtpd.record.deadline", DURATION, "60s", POSITIVE, "> 0", "A command line must be complete this long after its first byte, however slowly the bytes trickle in (slowloris; cf. Postfix smtpd_per_record_deadline).")
            .define("smtpd.data.timeout", DURATION, "300s", POSITIVE, "> 0", "Time allowed between pieces of message data after DATA; an unfinished message is dropped.")
            .define("smtpd.bdat.timeout", DURATION, "300s", POSITIVE, "> 0", "Time allowed between pieces of a BDAT chunk; an unfinished message is dropped.")
            .define("smtpd.tls.handshake.timeout", DURATION, "60s", POSITIVE, "> 0", "Time allowed for the TLS handshake after STARTTLS or on the implicit-TLS port (cf. Postfix smtpd_starttls_timeout).")
            .define("smtpd.session.max.duration", DURATION, "1h", POSITIVE, "> 0", "Longest SMTP session, however busy; then 421 4.4.2 (never while the broker is acknowledging a message).")
            .define("smtpd.ack.timeout", DURATION, "30s", "How long the ingress waits for the broker before answering 451 4.3.0.")
            .define("smtpd.users.file", STRING, "", "SMTP AUTH users, one user:hash line each (Argon2id, bcrypt or SCRAM-SHA-256; make hashes with `postbus user-hash`); empty = AUTH off.")
            .define("tls.cert.file", STRING, "", "PEM certificate chain for STARTTLS and port 465; empty = a generated self-signed one.")
            .define("tls.key.file", STRING, "", "PEM private key of tls.cert.file (may be the same file).")
            .define("tls.pkcs12.file", STRING, "", "PKCS#12 file with the certificate chain and key, instead of PEM files.")
            .define("tls.pkcs12.password", STRING, "", "Password of tls.pkcs12.file.")
            .define("tls.reload.interval", DURATION, "60s", "How often the certificate files are checked; a renewed, valid pair is used without restart.")
            .define("mynetworks", LIST, "127.0.0.0/8 [::1]/128", "Trusted clients that may relay anywhere (Postfix mynetworks).")
            .define("mydestination", LIST, "", "Domains this host is the final destination for (Postfix mydestination).")
            .define("relay.domains", LIST, "", "Domains we accept mail for from anyone and pass on (Postfix relay_domains).")
            .define("myorigin", STRING, "", "Domain appended to a bare local part (Postfix myorigin); empty = myhostname.")
            .define("alias.maps", LIST, "", "aliases(5) files for local domains (name: value, value; :include: lists); their names are valid local recipients.")
            .define("local.recipient.maps", LIST, "", "Postfix-format tables (key value) of the users at mydestination; with alias.maps, unknown users get 550 5.1.1 at RCPT. Both empty = any local user is accepted.")
            .define("virtual.alias.domains", LIST, "", "Domains whose addresses are all rewritten by virtual.alias.maps (Postfix virtual_alias_domains).")
            .define("virtual.alias.maps", LIST, "", "Postfix-format tables: address → address, address… (one-to-many, recursive; Postfix virtual_alias_maps).")
            .define("virtual.mailbox.domains", LIST, "", "Domains of hosted mailboxes (Postfix virtual_mailbox_domains).")
            .define("virtual.mailbox.maps", LIST, "", "Postfix-format tables of the mailboxes at virtual.mailbox.domains (Postfix virtual_mailbox_maps).")
            .define("relay.recipient.maps", LIST, "", "Postfix-format tables of the valid recipients at relay.domains; empty = any (Postfix relay_recipient_maps).")
            .define("recipient.delimiter", STRING, "", "Characters that start an address extension, e.g. +- for user+tag@ and user-tag@ (Postfix recipient_delimiter).")
            .define("lookup.table.reload.interval", DURATION, "30s", "How often lookup table files are checked; a changed, valid file is used without restart (a broken one is reported, the old one kept).")
            .define("canonical.maps", LIST, "", "Postfix-format tables rewriting sender and recipient envelope addresses one-to-one, before virtual aliasing (Postfix canonical_maps; user@domain, user, @domain keys). Headers are not rewritten: they may be DKIM-signed.")
            .define("sender.canonical.maps", LIST, "", "Like canonical.maps, for the envelope sender only; applied before canonical.maps (Postfix sender_canonical_maps).")
            .define("recipient.canonical.maps", LIST, "", "Like canonical.maps, for envelope recipients only; applied before canonical.maps (Postfix recipient_canonical_maps).")
            .define("transport.maps", LIST, "", "Postfix transport(5) tables: user@domain, domain, .domain (subdomains) or * → transport:nexthop, with transports smtp, relay, lmtp, local, virtual, error (bounce), retry (defer), discard; nexthop [host]:port (no MX lookup) or host[:port] (Postfix transport_maps).")
            .define("local.transport", STRING, "local", "Transport for mydestination: local = aliases from alias.maps, then a Maildir per user in mail.spool.directory (or mailbox.transport); or e.g. lmtp:[host]:port, which bypasses alias.maps as in Postfix (Postfix local_transport).")
            .define("mailbox.transport", STRING, "", "After local aliasing, hand local mailboxes to this transport instead of writing Maildirs, e.g. lmtp:[127.0.0.1]:24 for Dovecot (Postfix mailbox_transport); empty = Maildir.")
            .define("mail.spool.directory", STRING, "", "Directory of the local users' Maildirs, <dir>/<user>/ (Postfix mail_spool_directory ending in /); empty = <data.dir>/mail.")
            .define("virtual.transport", STRING, "virtual", "Transport for virtual.mailbox.domains: virtual = the Maildir virtual.mailbox.maps names below virtual.mailbox.base; or e.g. lmtp:[host]:port (Postfix virtual_transport).")
            .define("virtual.mailbox.base", STRING, "", "Absolute directory that virtual.mailbox.maps values (Maildirs, ending in /) are relative to (Postfix virtual_mailbox_base).")
            .define("relay.transport", STRING, "relay", "Transport for relay.domains, transport[:nexthop]; without a next hop: relayhost, else the MX of the domain (Postfix relay_transport).")
            .define("default.transport", STRING, "smtp", "Transport for every other domain, transport[:nexthop], e.g. error:5.7.1 outbound mail disabled (Postfix default_transport).")
            .define("relayhost", STRING, "", "Send all outgoing mail to this next hop instead of the MX: [host]:port or host[:port] (Postfix relayhost).")
            .define("delivery.sites", LIST, "", "Sites with a dedicated delivery topic mail.deliver.<site>: site:item,item where an item is a recipient domain or mx=<MX host pattern> (a host, or *.domain for any host below it), e.g. gmail:gmail.com,googlemail.com,mx=*.google.com outlook:mx=*.mail.protection.outlook.com. Other destinations are grouped into sites named after their best-preference MX hosts, on mail.deliver.default; a domain or pattern in two sites is an error.")
            .define("retry.tiers", LIST, "1m 5m 15m 1h 4h", "Deferred-retry tiers; each is a topic mail.retry.<tier>.")
            .define("minimal.backoff.time", DURATION, "300s", "Shortest wait before retrying a deferred delivery (Postfix minimal_backoff_time).")
            .define("maximal.backoff.time", DURATION, "4000s", "Longest wait between retries (Postfix maximal_backoff_time).")
            .define("maximal.queue.lifetime", DURATION, "5d", "Give up and bounce after this long (Postfix maximal_queue_lifetime).")
            .define("bounce.queue.lifetime", DURATION, "5d", "Give up on mail with the null sender (bounces, other notices) after this long; it has no sender to return to (Postfix bounce_queue_lifetime).")
            .define("suppression.action", STRING, "drop", v -> Set.of("drop", "bounce").contains(v), "drop, bounce", "What the router does with a recipient on mail.suppression: drop (a Suppressed event, the sender hears nothing) or bounce (550 5.7.1 and a DSN).")
            .define("suppression.bounce.classes", LIST, "BAD_MAILBOX BAD_DOMAIN", v -> ((List<?>) v).stream().allMatch(Suppressions::isBounceClass), "bounce classes (BAD_MAILBOX, BAD_DOMAIN, MAILBOX_FULL, POLICY, SPAM_BLOCK, REPUTATION, MESSAGE_TOO_BIG, ROUTING_LOOP, OTHER)", "Permanent (5xx) delivery failures of these classes put the recipient on mail.suppression; empty = never.")
            .define("suppression.expiry", DURATION, "30d", "How long a suppression entry lasts (from a bounce, or `postbus suppression add` without --expires); 0 = until removed.")
            .define("delay.warning.time", DURATION, "0h", "Send a delay notice (DSN action: delayed) once a message has waited this long; 0 = never (Postfix delay_warning_time).")
            .define("bounce.size.limit", INT, "50000", v -> (Integer) v >= 1000, ">= 1000", "Largest original returned in a bounce; beyond it only the headers (Postfix bounce_size_limit).")
            .define("double.bounce.recipient", STRING, "postmaster", "Where a bounce that cannot be delivered is reported (Postfix 2bounce_notice_recipient with 2bounce in notify_classes); a bare local part gets @myhostname; empty = dropped.")
            .define("bounce.rules.file", STRING, "", "Extra bounce classification rules (CLASS STATUS [regex]), tried before the built-in ones.")
            .define("delivery.tls", STRING, "may", v -> Set.of("none", "may", "encrypt", "verify", "dane", "dane-only").contains(v), "none, may, encrypt, verify, dane, dane-only", "Outbound TLS level (Postfix smtp_tls_security_level): may = STARTTLS when offered, else plain text; encrypt = TLS required, certificate not checked; verify = TLS required, certificate chain and MX host name checked; dane = per MX host, TLS authenticated by DNSSEC-validated TLSA records where published (RFC 7672), else may (or MTA-STS); dane-only = hosts without usable validated TLSA records are not used. DANE needs dns.dnssec.trust = ad-bit. See docs/adr/0008-outbound-tls-policy.md.")
            .define("delivery.tls.policy.maps", LIST, "", "Postfix smtp_tls_policy_maps-format tables: next hop (domain, .domain for subdomains, [host]:port) → none, may, encrypt, verify, dane or dane-only; reloaded like the other tables. An unsupported level (secure, fingerprint) defers the mail.")
            .define("delivery.sasl.password.maps", LIST, "", "Postfix smtp_sasl_password_maps-format tables for SMTP AUTH at relays: remote host name or next hop as written ([mail.isp.example]:587, relay.example) → user:password; reloaded like the other tables. Credentials are only ever sent inside TLS (SCRAM-SHA-256, else PLAIN, else LOGIN); no TLS, or a 535, defers the mail. Empty = no client AUTH.")
            .define("delivery.tls.ca.file", STRING, "", "PEM file of CA certificates trusted for outbound TLS and MTA-STS besides the JDK's (Postfix smtp_tls_CAfile); empty = the JDK's only.")
            .define("mta.sts.enabled", BOOLEAN, "true", "Look up and apply recipient domains' MTA-STS policies (RFC 8461): enforce = only listed MX hosts, with verified TLS; testing = noted in the event detail only.")
            .define("delivery.connect.timeout", DURATION, "30s", "TCP connect timeout to a remote MTA (Postfix smtp_connect_timeout).")
            .define("delivery.command.timeout", DURATION, "300s", "Wait for a remote MTA's reply to a command (RFC 5321 §4.5.3.2).")
            .define("delivery.shaping.file", STRING, "", "Traffic shaping per site or destination (name key=value ...: max-connections, messages-per-connection, messages-per-minute, messages-per-hour, connections-per-minute; source-address=IP[,IP...] to bind, a pool spread by destination domain; helo-name=; a default entry); empty = 20 connections, 100 messages per connection, no rates. ADR 0009.")
            .define("delivery.backoff.rules.file", STRING, "", "Extra backoff rules (suspend <duration> | throttle <rate> for <duration>, STATUS [regex]), tried before the built-in ones. ADR 0009.")
            .define("delivery.concurrency", INT, "20", v -> (Integer) v >= 1, ">= 1", "Delivery attempts (SMTP/LMTP conversations) one delivery worker holds at once, to one site or many; the worker reads 5 jobs per connection per batch (ADR 0010; Postfix default_process_limit).")
            .define("auth.concurrency", INT, "0", v -> (Integer) v >= 0, ">= 0", "Messages one auth-worker verifies or signs at once (DKIM signing is CPU work, verification waits for DNS); 0 = one per core, at least 2.")
            .define("auth.authserv.id", STRING, "", "Our authserv-id in the one Authentication-Results header we add (OpenDMARC AuthservID); empty = myhostname.")
            .define("dkim.key.table", STRING, "", "OpenDKIM KeyTable (file:/path or /path; refile:/path for patterns): keyname domain:selector:/path/to/key; empty = originating mail is not signed.")
            .define("dkim.signing.table", STRING, "", "OpenDKIM SigningTable (refile:/path for * patterns): From address or domain, then key name. Needs dkim.key.table.")
            .define("dkim.multiple.signatures", BOOLEAN, "true", "Every matching SigningTable entry signs (OpenDKIM MultipleSignatures): RSA + Ed25519 dual signing, two selectors during a rotation.")
            .define("dkim.canonicalization", STRING, "relaxed/relaxed", v -> Set.of("relaxed/relaxed", "relaxed/simple", "simple/relaxed", "simple/simple", "relaxed", "simple").contains(v), "header/body: relaxed or simple", "Canonicalization of our signatures (OpenDKIM Canonicalization).")
            .define("dkim.signed.headers", LIST, "", "Header fields to sign when present; empty = the default list (From oversigned). Must include from.")
            .define("dkim.signature.ttl", DURATION, "0s", "Lifetime of our signatures (x= = t= + this; OpenDKIM SignatureTTL); 0 = no x=.")
            .define("dkim.minimum.key.bits", INT, "1024", v -> (Integer) v >= 1024, ">= 1024 (RFC 8301)", "Smallest RSA key whose signatures we accept (OpenDKIM MinimumKeyBits).")
            .define("dkim.reload.interval", DURATION, "30s", "How often the KeyTable, SigningTable and key files are checked; a changed set is used without restart.")
            .define("spf.helo.check", BOOLEAN, "false", "Also check the HELO identity with SPF when there is a reverse-path (RFC 7208 §2.3).")
            .define("dmarc.public.suffix.list", STRING, "", "Public Suffix List file for organizational domains; empty = Debian's publicsuffix package (/usr/share/publicsuffix).")
            .define("dmarc.quarantine.action", STRING, "spam-flag", v -> Set.of("spam-flag", "quarantine").contains(v), "spam-flag, quarantine", "What a DMARC failure under p=quarantine leads to: pass on flagged as spam, or hold in mail.quarantine.")
            .define("dmarc.reject.action", STRING, "quarantine", v -> Set.of("quarantine", "discard").contains(v), "quarantine, discard", "What a DMARC failure under p=reject leads to. Never a bounce: the sender is forged (no backscatter); like OpenDMARC's RejectFailures false.")
            .define("arc.seal.key", STRING, "", "Seal forwarded mail with ARC (RFC 8617) using this key, written as a KeyTable value domain:selector:/path/to/key; empty = no sealing.")
            .define("dns.zone.dir", STRING, "", "Answer DNS from the RFC 1035 zone files in this directory (offline use, tests); empty = real DNS.")
            .define("dns.servers", LIST, "", "DNS servers to ask; empty = the system's resolvers.")
            .define("dns.timeout", DURATION, "5s", "Timeout of one DNS query.")
            .define("dns.dnssec.trust", STRING, "none", v -> DnssecTrust.fromConfigName((String) v).isPresent(), "none, ad-bit", "Whether the DNS servers' AD bit marks an answer DNSSEC-validated (glibc options trust-ad; Postfix smtp_dns_support_level = dnssec). Only set ad-bit when dns.servers validate DNSSEC and the path to them is trusted (e.g. a local unbound). DANE (delivery.tls = dane) uses nothing else.")
            .define("dns.zone.signed", LIST, "", "With dns.zone.dir: the apexes of the zones whose answers count as DNSSEC-validated (zone files cannot carry validation), for testing DANE offline.");

    public static List<String> keys() {
        return List.copyOf(DEF.keys().keySet());
    }
}

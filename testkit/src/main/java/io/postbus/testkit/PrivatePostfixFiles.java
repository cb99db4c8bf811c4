package io.postbus.testkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration files of a {@link PrivatePostfix}: main.cf, master.cf and opendkim.conf. Everything
 * here is chosen to let Postfix and OpenDKIM go as fast as they can on loopback (see the comments), since
 * a comparison against a handicapped peer would prove nothing.
 */
final class PrivatePostfixFiles {

    private PrivatePostfixFiles() {
    }

    /** main.cf parameters, before the caller's overrides. */
    static Map<String, String> mainCf(Path base, PrivatePostfixSettings s, boolean root) {
        Map<String, String> m = new TreeMap<>();
        m.put("compatibility_level", "3.6");
        m.put("queue_directory", base.resolve("spool").toString());
        m.put("data_directory", base.resolve("lib").toString());
        // Logging is part of what Postfix does for every message, so it stays on, but in our own file:
        // the machine's syslog is not ours to fill.
        m.put("maillog_file", base.resolve("maillog").toString());
        m.put("maillog_file_prefixes", base.toString());
        if (root) {
            // The daemons drop to an unprivileged user; Debian's package creates postfix and postdrop.
            m.put("mail_owner", "postfix");
            m.put("setgid_group", "postdrop");
        }
        m.put("myhostname", s.hostname());
        m.put("mydomain", "invalid");
        m.put("mydestination", ""); // nothing is local: every recipient is relayed
        m.put("relay_domains", "");
        m.put("local_recipient_maps", "");
        m.put("alias_maps", "");
        m.put("alias_database", "");
        m.put("biff", "no");
        m.put("append_dot_mydomain", "no");
        m.put("readme_directory", "no");
        m.put("inet_interfaces", "loopback-only");
        m.put("inet_protocols", "ipv4");
        m.put("mynetworks", "127.0.0.0/8");
        m.put("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination");
        m.put("relayhost", "[" + s.relayHost() + "]:" + s.relayPort());
        // No DNS anywhere: the next hop is a literal address, the client's name is not looked up, and
        // nothing verifies addresses (no reject_unverified_* restriction is configured).
        m.put("smtp_dns_support_level", "disabled");
        m.put("smtpd_peername_lookup", "no");
        m.put("smtpd_tls_security_level", "none");
        m.put("smtp_tls_security_level", "none");
        // Every session comes from 127.0.0.1: anvil's per-client limits would refuse the load generator.
        m.put("smtpd_client_connection_count_limit", "0");
        m.put("smtpd_client_connection_rate_limit", "0");
        m.put("smtpd_client_message_rate_limit", "0");
        // Enough processes for every inbound session (smtpd), its cleanup, the outbound smtp clients and
        // trivial-rewrite, so no connection waits in the listen queue for a free smtpd.
        m.put("default_process_limit", Integer.toString(Math.max(100, 2 * s.concurrency() + 20)));
        // The sink is known to be healthy: start at full concurrency instead of Postfix's slow start (5, then
        // +1 per `limit` deliveries), and keep connections to it open for reuse even without a backlog.
        String outbound = Integer.toString(Math.max(20, s.concurrency()));
        m.put("default_destination_concurrency_limit", outbound);
        m.put("initial_destination_concurrency", outbound);
        m.put("smtp_connection_cache_on_demand", "yes");
        m.put("smtp_connection_cache_destinations", m.get("relayhost"));
        // Postfix's own default, stated so the report can name it; the caller may turn it off.
        m.put("in_flow_delay", s.inFlowDelaySeconds() + "s");
        if (s.dkim() != null) {
            String milter = "unix:" + base.resolve("opendkim").resolve("opendkim.sock");
            m.put("smtpd_milters", milter);
            m.put("non_smtpd_milters", milter);
            m.put("milter_default_action", "tempfail"); // never relay unsigned mail when the signer is down
        }
        m.putAll(s.overrides());
        return m;
    }

    static String render(Map<String, String> mainCf) {
        StringBuilder b = new StringBuilder("# A private instance started by io.postbus.testkit.PrivatePostfix.\n");
        mainCf.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        return b.toString();
    }

    /** master.cf: Debian's services, every one unchrooted (column 5 = n) since the queue is not a jail. */
    static String masterCf(int smtpPort) {
        return "127.0.0.1:" + smtpPort + " inet n - n - - smtpd\n"
                + """
                pickup     unix  n - n 60    1 pickup
                cleanup    unix  n - n -     0 cleanup
                qmgr       unix  n - n 300   1 qmgr
                tlsmgr     unix  - - n 1000? 1 tlsmgr
                rewrite    unix  - - n -     - trivial-rewrite
                bounce     unix  - - n -     0 bounce
                defer      unix  - - n -     0 bounce
                trace      unix  - - n -     0 bounce
                verify     unix  - - n -     1 verify
                flush      unix  n - n 1000? 0 flush
                proxymap   unix  - - n -     - proxymap
                proxywrite unix  - - n -     1 proxymap
                smtp       unix  - - n -     - smtp
                relay      unix  - - n -     - smtp
                showq      unix  n - n -     - showq
                error      unix  - - n -     - error
                retry      unix  - - n -     - error
                discard    unix  - - n -     - discard
                anvil      unix  - - n -     1 anvil
                scache     unix  - - n -     1 scache
                postlog    unix-dgram n - n - 1 postlogd
                """;
    }

    /** opendkim.conf: sign only (no verifying, so no DNS), relaxed/relaxed, the header fields asked for. */
    static String opendkimConf(Path dir, PrivatePostfixSettings.Dkim dkim, Path keyFile) {
        return "# A private OpenDKIM started by io.postbus.testkit.PrivatePostfix.\n"
                + "Mode s\n"
                + "Domain " + dkim.domain() + "\n"
                + "Selector " + dkim.selector() + "\n"
                + "KeyFile " + keyFile + "\n"
                // The key is a 0600 copy of our own; the check would still refuse it for any world-writable
                // directory above it, /tmp included (its sticky bit is not considered).
                + "RequireSafeKeys no\n"
                + "Canonicalization relaxed/relaxed\n"
                + "SignatureAlgorithm rsa-sha256\n"
                + (dkim.signedHeaders().isEmpty() ? "" : "SignHeaders " + String.join(",", dkim.signedHeaders()) + "\n")
                + (dkim.oversignedHeaders().isEmpty() ? "" : "OversignHeaders " + String.join(",", dkim.oversignedHeaders()) + "\n")
                + "Socket local:" + dir.resolve("opendkim.sock") + "\n"
                // smtpd and cleanup connect as the postfix user: the socket must be open to it.
                + "UMask 0000\n"
                + "PidFile " + dir.resolve("opendkim.pid") + "\n"
                + "Syslog no\n"
                + "SoftwareHeader no\n"
                + "AutoRestart no\n"
                + "Background no\n";
    }
}

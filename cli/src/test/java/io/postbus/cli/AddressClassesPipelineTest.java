package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.FakeMx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Postfix address class in one message, delivered to the end on the real pipeline: a local
 * alias to a local user's Maildir, a virtual alias to a hosted mailbox (virtual Maildir) and an
 * outside address, a relay domain whose transport_maps entry is LMTP, and the default class to the
 * relayhost. The fake MX is both the relayhost (SMTP) and the LMTP server.
 */
class AddressClassesPipelineTest {
    @TempDir
    Path tmp;

    private ScenarioPipeline p;

    @AfterEach
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void oneMessageReachesALocalAVirtualMailboxAnLmtpAndARelayhostRecipient() throws Exception {
        Path spool = tmp.resolve("spool");
        Path vmail = tmp.resolve("vmail");
        Path aliases = Files.writeString(tmp.resolve("aliases"), "sales: joe\n");
        Path virtual = Files.writeString(tmp.resolve("virtual"), "team@valias.test  bob@hosted.test, ext2@example.com\n");
        Path vmailbox = Files.writeString(tmp.resolve("vmailbox"), "bob@hosted.test  hosted.test/bob/\n");
        FakeMx mx = FakeMx.start();
        Path transport = Files.writeString(tmp.resolve("transport"), "dovecot.test  lmtp:[127.0.0.1]:" + mx.port() + "\n");
        p = ScenarioPipeline.start("address-classes", mx, s -> {
            s.put("myorigin", "postbus.test");
            s.put("mydestination", "postbus.test");
            s.put("alias.maps", aliases.toString());
            s.put("mail.spool.directory", spool.toString());
            s.put("virtual.alias.domains", "valias.test");
            s.put("virtual.alias.maps", virtual.toString());
            s.put("virtual.mailbox.domains", "hosted.test");
            s.put("virtual.mailbox.maps", vmailbox.toString());
            s.put("virtual.mailbox.base", vmail.toString());
            s.put("relay.domains", "dovecot.test");
            s.put("transport.maps", transport.toString());
        }, null);

        String body = "From: alice@example.net\r\nTo: everyone\r\nSubject: all classes\r\n\r\nhello, every class\r\n";
        String id = p.send("alice@example.net", "sales@postbus.test,team@valias.test,carol@dovecot.test,ext@example.com", body);

        List<String> all = List.of("joe@postbus.test", "bob@hosted.test", "ext2@example.com", "carol@dovecot.test",
                "ext@example.com");
        List<LifecycleEvent> events = p.await(e -> delivered(e, id).containsAll(all), "deliveries to " + all);
        assertThat(delivered(events, id)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(EventLog.typesOf(events, id)).doesNotContain(EventType.BOUNCE, EventType.TRANSIENT_FAILURE);

        assertThat(maildirMessage(spool.resolve("joe"))).startsWith("Return-Path: <alice@example.net>\r\nDelivered-To: joe@postbus.test\r\n")
                .endsWith(body);
        assertThat(maildirMessage(vmail.resolve("hosted.test/bob"))).contains("Delivered-To: bob@hosted.test\r\n").endsWith(body);
        assertThat(mx.awaitTransactions(2, ScenarioPipeline.PATIENCE)).isTrue();
        assertThat(mx.transactions()).filteredOn(FakeMx.Transaction::lmtp).singleElement().satisfies(t -> {
            assertThat(t.recipients()).containsExactly("carol@dovecot.test");
            assertThat(new String(t.data(), StandardCharsets.UTF_8)).endsWith(body);
        });
        assertThat(mx.transactions()).filteredOn(t -> !t.lmtp()).singleElement().satisfies(t -> {
            assertThat(t.recipients()).as("one next hop, one transaction").containsExactlyInAnyOrder("ext@example.com", "ext2@example.com");
            assertThat(t.mailFrom()).isEqualTo("alice@example.net");
        });
    }

    private static List<String> delivered(List<LifecycleEvent> events, String id) {
        return ScenarioPipeline.of(events, id, EventType.DELIVERY).stream().flatMap(e -> e.getRecipients().stream()).toList();
    }

    /** The one message in the Maildir's new/ folder, once it is there. */
    private static String maildirMessage(Path maildir) throws Exception {
        Path dir = maildir.resolve("new");
        await().atMost(ScenarioPipeline.PATIENCE).until(() -> Files.isDirectory(dir) && count(dir) == 1);
        try (Stream<Path> files = Files.list(dir)) {
            return Files.readString(files.findFirst().orElseThrow(), StandardCharsets.UTF_8);
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}

package io.postbus.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rule "pure cores, thin shells", checked by the build: protocol, routing and delivery
 * logic never import Kafka, Vert.x or the Avro contract; cores never reach into the workers.
 */
class LayeringTest {
    private static final String[] PURE_CORES = {
        "io.postbus.ingress.smtp..",
        "io.postbus.ingress.proxy..",
        "io.postbus.ingress.auth..",
        "io.postbus.ingress.dnsbl..",
        "io.postbus.router.core..",
        "io.postbus.delivery.core..",
        "io.postbus.delivery.smtp..",
        "io.postbus.delivery.route..",
        "io.postbus.delivery.dane..",
        "io.postbus.delivery.maildir..",
        "io.postbus.delivery.shaping..",
        "io.postbus.delivery.mtasts..",
        "io.postbus.core.mail..",
        "io.postbus.core.config..",
        "io.postbus.core.net..",
        "io.postbus.core.error..",
        "io.postbus.core.table..",
        "io.postbus.core.address..",
        "io.postbus.core.dsn..",
        "io.postbus.core.bounce..",
        "io.postbus.core.suppression..",
        "io.postbus.core.control..",
        "io.postbus.auth.message..",
        "io.postbus.auth.dkim..",
        "io.postbus.auth.spf..",
        "io.postbus.auth.dmarc..",
        "io.postbus.auth.psl..",
        "io.postbus.auth.arc..",
        "io.postbus.auth.results..",
        "io.postbus.auth.inbound..",
        "io.postbus.auth.originating..",
    };
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.postbus");
    }

    @Test
    void pureCoresImportNoKafkaNoVertxNoAvro() {
        noClasses().that().resideInAnyPackage(PURE_CORES)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.vertx..", "org.apache.avro..",
                        "io.postbus.schemas..", "io.netty..")
                .check(classes);
    }

    @Test
    void theDnsContractIsFreeOfDnsjava() {
        noClasses().that().resideInAPackage("io.postbus.core.dns")
                .should().dependOnClassesThat().resideInAnyPackage("org.xbill..")
                .check(classes);
    }

    @Test
    void dnsjavaStaysInItsAdapters() {
        noClasses().that().resideOutsideOfPackages("io.postbus.core.dns.dnsjava..", "io.postbus.core.dns.zone..")
                .should().dependOnClassesThat().resideInAnyPackage("org.xbill..")
                .check(classes);
    }

    @Test
    void coresNeverDependOnWorkersOrTheLauncher() {
        noClasses().that().resideInAnyPackage(PURE_CORES)
                .should().dependOnClassesThat().resideInAnyPackage("io.postbus.cli..", "io.postbus.auth", "io.postbus.spam..",
                        "io.postbus.router.worker..", "io.postbus.delivery.worker..", "io.postbus.ingress.server..",
                        "io.postbus.ingress.kafka..", "io.postbus.core.kafka..")
                .check(classes);
    }

    @Test
    void onlyTheIngressShellTalksToKafkaInTheIngress() {
        noClasses().that().resideInAPackage("io.postbus.ingress.server..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
                .check(classes);
    }
}

package io.postbus.cli;

import io.postbus.core.kafka.ControlReader;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the process's one reader of mail.control, before the stages that obey it. */
final class Controls {
    /** How soon a waiting job sees a new command (postsuper -r, a resumed site). */
    static final Duration RECHECK = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(Controls.class);

    private Controls() {}

    static ControlReader start(KafkaSettings kafka, StageContext ctx) {
        ControlReader reader = new ControlReader(kafka, ctx.topics(), ctx.node()).start();
        try {
            if (!reader.awaitCaughtUp(Duration.ofSeconds(60))) {
                log.warn("mail.control not read to its end within 60 s; starting anyway, commands apply as they arrive");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return reader;
    }
}

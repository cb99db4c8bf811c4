package io.postbus.schemas.codec;

import io.postbus.schemas.AuthenticatedMail;
import io.postbus.schemas.ControlCommand;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.QuarantinedMail;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.ScoredMail;
import io.postbus.schemas.SuppressionEntry;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/** Every record type that is written to a topic: the schemas whose history is guarded. */
public final class TopicRecords {
    private TopicRecords() {}

    public static final List<Class<? extends SpecificRecordBase>> ALL = List.of(
            ReceivedMail.class,
            AuthenticatedMail.class,
            ScoredMail.class,
            QuarantinedMail.class,
            DeliveryJob.class,
            LifecycleEvent.class,
            ControlCommand.class,
            SuppressionEntry.class);
}

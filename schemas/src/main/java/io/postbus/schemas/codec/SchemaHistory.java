package io.postbus.schemas.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Released versions of each topic schema, kept as resources at
 * {@code io/postbus/schemas/history/<Name>/v<N>.avsc}. Decoders register them so a reader resolves
 * records written by an older (or newer, if registered) writer from the single-object fingerprint
 * alone, without a schema registry; the compatibility test checks each schema against its last release.
 */
public final class SchemaHistory {
    private static final String ROOT = "/io/postbus/schemas/history/";

    private SchemaHistory() {}

    /** Released versions of the named record, oldest first; empty if it was never released. */
    public static List<Schema> releases(String recordName) {
        List<Schema> out = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = SchemaHistory.class.getResourceAsStream(ROOT + recordName + "/v" + v + ".avsc")) {
                if (in == null) {
                    return out;
                }
                out.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema history of " + recordName, e);
            }
        }
    }
}

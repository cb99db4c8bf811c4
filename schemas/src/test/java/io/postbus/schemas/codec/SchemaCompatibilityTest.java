package io.postbus.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every topic schema must stay backward compatible (a new reader reads records an old writer left in
 * the topic: replay, retry tiers holding jobs for days) and forward compatible (an old stage still
 * running during a rolling upgrade reads what a new stage writes) with its last released version.
 * A release is recorded by copying the schema to src/main/resources/io/postbus/schemas/history.
 */
class SchemaCompatibilityTest {

    static List<Class<?>> topicRecords() {
        return new ArrayList<>(TopicRecords.ALL);
    }

    @ParameterizedTest
    @MethodSource("topicRecords")
    void everyTopicSchemaHasAReleasedVersion(Class<?> type) {
        assertThat(SchemaHistory.releases(type.getSimpleName()))
                .as("released versions of %s", type.getSimpleName())
                .isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("topicRecords")
    void currentSchemaIsBackwardAndForwardCompatibleWithTheLastRelease(Class<?> type) {
        Schema current = SpecificData.get().getSchema(type);
        List<Schema> releases = SchemaHistory.releases(type.getSimpleName());
        Schema previous = releases.get(releases.size() - 1);

        assertThat(problems(current, previous)).as("%s: backward (new reads old)", type.getSimpleName()).isEmpty();
        assertThat(problems(previous, current)).as("%s: forward (old reads new)", type.getSimpleName()).isEmpty();
    }

    @Test
    void theCheckCatchesAFieldAddedWithoutDefault() {
        Schema previous = SchemaHistory.releases("SuppressionEntry").get(0);
        String broken = previous.toString().replace(
                "\"fields\":[",
                "\"fields\":[{\"name\":\"mandatoryNewField\",\"type\":\"string\"},");
        Schema next = new Schema.Parser().parse(broken);

        assertThat(problems(next, previous)).as("new reader, old data: no value for the new field").isNotEmpty();
    }

    @Test
    void theCheckCatchesARemovedEnumSymbolWithoutDefault() {
        Schema previous = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"e\",\"type\":"
                        + "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}}]}");
        Schema next = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"e\",\"type\":"
                        + "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}}]}");

        assertThat(problems(next, previous)).isNotEmpty();
    }

    private static List<String> problems(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }
}

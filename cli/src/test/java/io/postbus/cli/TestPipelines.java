package io.postbus.cli;

import io.postbus.testkit.TestKafka;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings for a pipeline under test: the shared test broker, its own topics, free ports. */
final class TestPipelines {
    private TestPipelines() {}

    static Map<String, String> settings(String hint, int sinkPort) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        s.put("kafka.topic.prefix", TestKafka.uniquePrefix(hint));
        s.put("kafka.partitions", "2");
        s.put("node.name", hint + "-node");
        s.put("myhostname", "postbus.test");
        s.put("smtp.listen", "127.0.0.1:0");
        s.put("submission.listen", "");
        s.put("submissions.listen", "");
        s.put("http.listen", "127.0.0.1:0");
        s.put("relayhost", "[127.0.0.1]:" + sinkPort);
        s.put("dns.zone.dir", "");
        return s;
    }
}

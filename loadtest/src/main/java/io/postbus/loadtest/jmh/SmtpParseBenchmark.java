package io.postbus.loadtest.jmh;

import io.postbus.ingress.smtp.Command;
import io.postbus.ingress.smtp.CommandParser;
import io.postbus.ingress.smtp.DataCollector;
import io.postbus.loadtest.auth.SampleMail;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ingress's SMTP parsing, per message of a newsletter session: the command lines of one
 * transaction (RFC 5321 §4.1.1: MAIL with SIZE and BODY, RCPT with NOTIFY, DATA; RFC 1870, RFC 6152,
 * RFC 3461) through {@link CommandParser}, and the message's lines after DATA through
 * {@link DataCollector} (dot-unstuffing, bare CR/LF checks, §4.5.2). The line splitting itself is
 * Vert.x's RecordParser, not ours, and is not in here.
 */
@State(Scope.Benchmark)
public class SmtpParseBenchmark extends BenchmarkDefaults {
    static final List<String> TRANSACTION = List.of(
            "MAIL FROM:<newsletter@news.example> SIZE=5420 BODY=8BITMIME",
            "RCPT TO:<reader@d7.example> NOTIFY=FAILURE,DELAY",
            "DATA");

    @Param({"5120"})
    public int bodySize;

    private byte[][] lines;

    @Setup
    public void setUp() {
        byte[] message = new SampleMail(PipelineRecords.SENDER, PipelineRecords.RECIPIENT, bodySize).message(1);
        List<byte[]> split = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n') {
                split.add(Arrays.copyOfRange(message, start, i));
                start = i + 2;
                i++;
            }
        }
        if (start < message.length) {
            split.add(Arrays.copyOfRange(message, start, message.length));
        }
        split.add(new byte[] {'.'});
        lines = split.toArray(new byte[0][]);
    }

    @Benchmark
    public void commands(Blackhole bh) {
        for (String line : TRANSACTION) {
            bh.consume(CommandParser.parse(line));
        }
    }

    @Benchmark
    public byte[] data() {
        DataCollector c = new DataCollector(new byte[0], 10L << 20);
        for (byte[] line : lines) {
            if (c.line(line) != DataCollector.LineResult.MORE) {
                break;
            }
        }
        return c.message();
    }

    /** One transaction's commands, parsed (for the test: none may be refused). */
    List<Command> parseTransaction() {
        return TRANSACTION.stream().map(CommandParser::parse).toList();
    }
}

package io.postbus.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.auth.SaslCodec.Cancel;
import io.postbus.ingress.auth.SaslCodec.Data;
import io.postbus.ingress.auth.SaslCodec.Invalid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 4954 §4 framing and the §8 base64 grammar. */
class SaslCodecTest {

    @Test
    void initialResponseEqualsSignIsEmpty() {
        assertThat(SaslCodec.decodeInitialResponse("=")).isInstanceOfSatisfying(Data.class, d -> assertThat(d.bytes()).isEmpty());
        assertThat(SaslCodec.decodeInitialResponse("dGVzdAB0ZXN0ADEyMzQ=")) // the RFC 4954 §4.1 example
                .isInstanceOfSatisfying(Data.class,
                        d -> assertThat(new String(d.bytes(), StandardCharsets.UTF_8)).isEqualTo("test\0test\0001234"));
    }

    @Test
    void starCancelsAndAnEmptyLineIsAnEmptyResponse() {
        assertThat(SaslCodec.decodeResponse("*")).isInstanceOf(Cancel.class);
        assertThat(SaslCodec.decodeResponse("")).isInstanceOfSatisfying(Data.class, d -> assertThat(d.bytes()).isEmpty());
        assertThat(SaslCodec.decodeInitialResponse("*")).as("no cancel in the AUTH command itself").isInstanceOf(Invalid.class);
    }

    @Test
    void rejectsAnythingOutsideStrictBase64() {
        // RFC 4954 §4: MUST reject characters outside the alphabet and "=" anywhere but the end.
        for (String bad : new String[] {"=AAA", "AAA=BBBB", "dGVz dA==", "dGVzdA", "dGVzdA=", "dGV$", "ä===", "-_-_"}) {
            assertThat(SaslCodec.decodeResponse(bad)).as(bad).isInstanceOf(Invalid.class);
        }
    }

    @Test
    void encodesChallengesAndNeverPrintsClientData() {
        assertThat(SaslCodec.encodeChallenge(new SaslResult.Challenge(new byte[0]))).isEmpty(); // the line "334 "
        assertThat(SaslCodec.encodeChallenge(new SaslResult.Challenge("Username:".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("VXNlcm5hbWU6");
        assertThat(SaslCodec.decodeResponse("c2VjcmV0").toString()).isEqualTo("Data[6 bytes]");
    }
}

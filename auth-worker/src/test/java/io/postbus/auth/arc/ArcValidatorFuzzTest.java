package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property tests on a two-hop sealed message: whatever is done to its bytes, the validator answers with a
 * typed status and never throws (STYLE: verdicts, not exceptions); and any change of a body letter fails
 * the chain (RFC 8617 §5.2 step 4). Seeded, so a failure can be replayed.
 */
class ArcValidatorFuzzTest {
    private static final long SEED = 8617L;
    private static final byte[] NASTY = ";=: \t\r\n0123456789abiABI-/+(".getBytes(StandardCharsets.US_ASCII);
    private static ArcHops hops;
    private static byte[] sealed;

    @BeforeAll
    static void seal() throws Exception {
        hops = new ArcHops(Rfc8463Keys.dns());
        sealed = hops.hop(hops.hop(Rfc8463Keys.signedMessage(), "mx.one.example", Rfc8463Keys.rsa()),
                "mx.two.example", Rfc8463Keys.ed25519());
        assertThat(hops.validate(sealed).status()).isEqualTo(ChainValidationStatus.PASS);
    }

    @Test
    void randomMutationsAlwaysYieldATypedStatus() {
        Random random = new Random(SEED);
        ArcValidator validator = new ArcValidator(hops.dns(), ArcHops.CLOCK, ArcSettings.defaults());
        Map<ChainValidationStatus, Integer> seen = new EnumMap<>(ChainValidationStatus.class);
        int unparsed = 0;
        for (int round = 0; round < 1500; round++) {
            byte[] mutated = mutate(sealed, random, 1 + random.nextInt(4));
            RawMessage message;
            try {
                message = RawMessage.parse(mutated);
            } catch (IllegalArgumentException e) {
                // RawMessage.parse (io.postbus.auth.message, not this package) throws on a header line whose
                // colon follows a bare CR; reported to the lead. Not the validator's input, so not counted.
                unparsed++;
                continue;
            }
            ArcValidation[] result = new ArcValidation[1];
            assertThatCode(() -> result[0] = validator.validate(message)).as("round %d", round).doesNotThrowAnyException();
            assertThat(result[0].status()).isNotNull();
            if (result[0].status() == ChainValidationStatus.FAIL) {
                assertThat(result[0].failure()).get().satisfies(f -> assertThat(f.reason()).isNotBlank());
            }
            seen.merge(result[0].status(), 1, Integer::sum);
        }
        System.out.println("ARC fuzz: statuses over 1500 mutations " + seen + ", not parseable by RawMessage: " + unparsed);
        assertThat(seen).containsKeys(ChainValidationStatus.FAIL, ChainValidationStatus.PASS);
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(1400);
    }

    @Test
    void changingAnyBodyLetterFailsTheChain() {
        Random random = new Random(SEED + 1);
        int bodyStart = RawMessage.parse(sealed).bodyStart();
        for (int round = 0; round < 200; round++) {
            byte[] mutated = sealed.clone();
            int at;
            do {
                at = bodyStart + random.nextInt(mutated.length - bodyStart);
            } while (!Character.isLetter(mutated[at]));
            mutated[at] = (byte) (mutated[at] == 'x' ? 'y' : 'x');
            ArcValidation result = hops.validate(mutated);
            assertThat(result.status()).as("round %d", round).isEqualTo(ChainValidationStatus.FAIL);
            assertThat(result.failure().orElseThrow().step()).isEqualTo(ValidationStep.LATEST_MESSAGE_SIGNATURE);
        }
    }

    private static byte[] mutate(byte[] in, Random random, int times) {
        byte[] out = in;
        for (int k = 0; k < times; k++) {
            int at = random.nextInt(Math.max(1, out.length));
            switch (random.nextInt(6)) {
                case 0 -> { // flip a bit
                    out = out.clone();
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
                case 1 -> { // overwrite with a byte that matters to tag lists and folding
                    out = out.clone();
                    out[at] = NASTY[random.nextInt(NASTY.length)];
                }
                case 2 -> out = splice(out, at, Math.min(out.length, at + random.nextInt(40)), new byte[0]);
                case 3 -> out = splice(out, at, at, new byte[] {NASTY[random.nextInt(NASTY.length)]});
                case 4 -> { // duplicate a stretch (often a whole header line)
                    int end = Math.min(out.length, at + random.nextInt(200));
                    byte[] copy = java.util.Arrays.copyOfRange(out, at, end);
                    out = splice(out, at, at, copy);
                }
                default -> out = java.util.Arrays.copyOf(out, at); // truncate
            }
        }
        return out;
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
        byte[] out = new byte[in.length - (to - from) + insert.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(in, to, out, from + insert.length, in.length - to);
        return out;
    }
}

package io.postbus.ingress.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The users allowed to authenticate, from a file of {@code user:hash} lines. Immutable and
 * thread-safe; to pick up changes, load a new one and swap it in.
 *
 * <p>File format: UTF-8, one {@code user:hash} per line, split at the first colon. Blank lines
 * and lines whose first non-blank character is {@code #} are ignored. User names are compared
 * exactly (case-sensitive, no normalisation), must not contain control characters and are at
 * most 255 bytes. A user may appear once. The hash is one of
 * <ul>
 *   <li>Argon2id in PHC form: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}
 *       (see {@link PasswordHashes#argon2id(String)});
 *   <li>bcrypt: {@code $2a$}, {@code $2b$} or {@code $2y$};
 *   <li>SCRAM-SHA-256 in PostgreSQL form: {@code SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>}
 *       (see {@link PasswordHashes#scramSha256(String, int)}); only these users can use
 *       SCRAM-SHA-256, and they can use PLAIN and LOGIN too.
 * </ul>
 * Anything else, plain-text passwords in particular, makes the whole file fail to load with a
 * {@link UserFileException} naming every bad line.
 *
 * <p>Timing: a password check for an unknown user runs the same algorithm at the same cost as
 * the store's most common kind of entry, against a random decoy, so response time does not tell
 * whether a user exists. In a store mixing algorithms, a known user's time still shows which
 * algorithm their entry uses.
 */
public final class UserStore {

    static final int MAX_USER_BYTES = 255;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Per process rather than per store, so an unknown user's fake SCRAM salt survives a reload like a real one. */
    private static final byte[] DECOY_KEY = Argon2idHash.randomBytes(RANDOM, 32);

    private final String sourceName;
    private final Map<String, PasswordHash> users;
    private final PasswordHash decoy;
    private final int decoyScramIterations;

    private UserStore(String sourceName, Map<String, PasswordHash> users) {
        this.sourceName = sourceName;
        this.users = Map.copyOf(users);
        this.decoy = mostCommon(users).decoy(RANDOM);
        Map<Integer, Integer> scramCounts = new HashMap<>();
        int iterations = ScramCredentials.MIN_ITERATIONS;
        int best = 0;
        for (PasswordHash hash : users.values()) {
            if (hash instanceof ScramHash scram) {
                int count = scramCounts.merge(scram.credentials().iterations(), 1, Integer::sum);
                if (count > best) {
                    best = count;
                    iterations = scram.credentials().iterations();
                }
            }
        }
        this.decoyScramIterations = iterations;
    }

    /** A store with no users: every attempt fails, at the cost of an Argon2id check with our default parameters. */
    public static UserStore empty() {
        return new UserStore("(no users)", Map.of());
    }

    /** Reads and parses a user file (UTF-8). */
    public static UserStore load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(decodeUtf8(bytes, file.toString()), file.toString());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Parses user-file text; {@code sourceName} is used in error messages and {@link #toString()}. */
    public static UserStore parse(String text, String sourceName) throws UserFileException {
        Objects.requireNonNull(sourceName, "sourceName");
        List<UserFileException.Problem> problems = new ArrayList<>();
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        Map<String, Integer> definedOn = new HashMap<>();
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int lineNumber = 0;
        for (String raw : (Iterable<String>) body.lines()::iterator) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                problems.add(new UserFileException.Problem(lineNumber, "expected user:hash"));
                continue;
            }
            String user = line.substring(0, colon);
            String userProblem = userNameProblem(user);
            if (userProblem != null) {
                problems.add(new UserFileException.Problem(lineNumber, userProblem));
                continue;
            }
            Integer first = definedOn.putIfAbsent(user, lineNumber);
            if (first != null) {
                problems.add(new UserFileException.Problem(lineNumber,
                        "user '" + user + "' is already defined on line " + first));
                continue;
            }
            try {
                users.put(user, parseHash(line.substring(colon + 1).strip()));
            } catch (IllegalArgumentException e) {
                problems.add(new UserFileException.Problem(lineNumber, "user '" + user + "': " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new UserFileException(sourceName, problems);
        }
        return new UserStore(sourceName, users);
    }

    /**
     * Whether {@code password} is this user's. Slow by design (the hash's cost); an unknown user
     * costs the same and returns false. Does not keep or modify {@code password}.
     */
    public boolean verifyPassword(String user, char[] password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        PasswordHash hash = users.get(user);
        byte[] prepared = SaslPrep.passwordBytes(password);
        try {
            boolean matches = (hash != null ? hash : decoy).matches(prepared);
            return hash != null && matches;
        } finally {
            Arrays.fill(prepared, (byte) 0);
        }
    }

    /** Convenience for callers that already hold the password as a String (tests, the CLI). */
    public boolean verifyPassword(String user, String password) {
        char[] chars = password.toCharArray();
        try {
            return verifyPassword(user, chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** The user's SCRAM-SHA-256 credentials; empty for unknown users and users stored as Argon2id or bcrypt. */
    public Optional<ScramCredentials> scramCredentials(String user) {
        return users.get(user) instanceof ScramHash h ? Optional.of(h.credentials()) : Optional.empty();
    }

    /**
     * Stand-in credentials for a user without SCRAM ones (RFC 5802 §9 "simulated" exchange): the
     * same salt every time for the same name and this store's iteration count, so the
     * server-first message does not reveal that the user does not exist. No proof matches them.
     */
    ScramCredentials scramDecoy(String user) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] salt = Arrays.copyOf(ScramCredentials.hmac(DECOY_KEY, concat("salt\0", name)), 16);
        return new ScramCredentials(decoyScramIterations, salt,
                ScramCredentials.hmac(DECOY_KEY, concat("stored\0", name)),
                ScramCredentials.hmac(DECOY_KEY, concat("server\0", name)));
    }

    public int size() {
        return users.size();
    }

    public String sourceName() {
        return sourceName;
    }

    @Override
    public String toString() {
        return "UserStore[" + sourceName + ", " + users.size() + " users]";
    }

    static String userNameProblem(String user) {
        if (user.isEmpty()) {
            return "empty user name";
        }
        if (!user.equals(user.strip())) {
            return "user name has leading or trailing white space";
        }
        for (int i = 0; i < user.length(); ) {
            int cp = user.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return "user name contains a control or format character";
            }
        }
        if (user.getBytes(StandardCharsets.UTF_8).length > MAX_USER_BYTES) {
            return "user name longer than " + MAX_USER_BYTES + " bytes";
        }
        return null;
    }

    private static PasswordHash parseHash(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("missing password hash");
        }
        if (value.startsWith(Argon2idHash.PREFIX)) {
            return Argon2idHash.parse(value);
        }
        if (value.startsWith("$argon2")) {
            throw new IllegalArgumentException("only the Argon2id variant is accepted, not Argon2i or Argon2d");
        }
        if (BcryptHash.looksLikeBcrypt(value)) {
            return BcryptHash.parse(value);
        }
        if (value.startsWith(ScramCredentials.PREFIX)) {
            return new ScramHash(ScramCredentials.parse(value));
        }
        throw new IllegalArgumentException("not a recognised password hash; plain-text passwords are refused"
                + " (expected $argon2id$..., $2b$... or SCRAM-SHA-256$...)");
    }

    /** The entry whose algorithm and cost occur most often (first seen wins a tie), or our Argon2id default. */
    private static PasswordHash mostCommon(Map<String, PasswordHash> users) {
        Map<String, Integer> counts = new HashMap<>();
        PasswordHash best = null;
        int bestCount = 0;
        for (PasswordHash hash : users.values()) {
            int count = counts.merge(hash.costClass(), 1, Integer::sum);
            if (count > bestCount) {
                best = hash;
                bestCount = count;
            }
        }
        return best != null ? best : PasswordHashes.defaultArgon2idTemplate();
    }

    private static byte[] concat(String label, byte[] name) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(l, l.length + name.length);
        System.arraycopy(name, 0, out, l.length, name.length);
        return out;
    }

    /** Strict UTF-8, naming the line of the first bad byte. */
    private static String decodeUtf8(byte[] bytes, String sourceName) throws UserFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new UserFileException(sourceName, List.of(new UserFileException.Problem(line, "not valid UTF-8")));
        }
        return out.flip().toString();
    }
}

package io.postbus.ingress.tls;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The bytes of a certificate source as read at one moment, validated as a unit so a reload never
 * mixes a file read before a renewal with one read after it.
 */
record SourceSnapshot(List<Input> inputs) {

    /** One file (or in-memory text): what it is for, where it came from, and its bytes. */
    record Input(String role, Path file, byte[] bytes) {
        /** For messages: "TLS private key /etc/postbus/key.pem". */
        String name() {
            return file == null ? role : role + " " + file;
        }
    }

    SourceSnapshot {
        inputs = List.copyOf(inputs);
    }

    Input input(int i) {
        return inputs.get(i);
    }

    /** SHA-256 over every input, length-prefixed: equal digests mean nothing changed. */
    String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Input in : inputs) {
                sha.update(ByteBuffer.allocate(4).putInt(in.bytes().length).array());
                sha.update(in.bytes());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

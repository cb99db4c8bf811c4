package io.postbus.loadtest.bench;

/** What the benchmark's message bodies are made of. */
public enum BodyContent {
    /**
     * Base64 lines of random bytes, a different stretch for every message: like an attachment,
     * and as hard to compress as real mail, so a compressing store (Kafka's lz4) gets no
     * advantage it would not get in production.
     */
    RANDOM,
    /** The same line of text over and over (smtp-source sends a repeated character). */
    TEXT
}

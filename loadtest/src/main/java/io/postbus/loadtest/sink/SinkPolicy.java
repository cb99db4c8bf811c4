package io.postbus.loadtest.sink;

import java.util.function.Function;

/**
 * Chooses the sink's replies, so a test can make a receiving MX answer what it needs: a 450 for
 * one recipient, a 550 for another, a 452 at end of data.
 *
 * <p>Each method returns a complete reply: "250 2.1.5 Ok", or several lines separated by "\n"
 * (the continuation dashes are added). Methods run on the Vert.x event loop, so they must not
 * block; they may be called from several event loops at once.
 */
public interface SinkPolicy {

    /** The banner. A non-2xx greeting makes the sink refuse everything but QUIT (RFC 5321 §3.1). */
    default String greeting(String hostname) {
        return "220 " + hostname + " ESMTP Postbus sink";
    }

    default String onMail(String sender) {
        return "250 2.1.0 Ok";
    }

    default String onRcpt(String recipient) {
        return "250 2.1.5 Ok";
    }

    /** Decides the end-of-data reply; the message is stored only if this returns a 2xx. */
    default String onEndOfData(ReceivedMessage message) {
        return "250 2.0.0 Ok: queued";
    }

    static SinkPolicy acceptAll() {
        return new SinkPolicy() { };
    }

    /** Replies to RCPT with {@code reply.apply(recipient)}; a null answer means the default 250. */
    default SinkPolicy withRcpt(Function<String, String> reply) {
        SinkPolicy base = this;
        return new Delegating(base) {
            @Override
            public String onRcpt(String recipient) {
                String r = reply.apply(recipient);
                return r != null ? r : base.onRcpt(recipient);
            }
        };
    }

    /** Replies at end of data with {@code reply.apply(message)}; null means the default 250. */
    default SinkPolicy withEndOfData(Function<ReceivedMessage, String> reply) {
        SinkPolicy base = this;
        return new Delegating(base) {
            @Override
            public String onEndOfData(ReceivedMessage message) {
                String r = reply.apply(message);
                return r != null ? r : base.onEndOfData(message);
            }
        };
    }

    /** Replies to MAIL with {@code reply.apply(sender)}; null means the default 250. */
    default SinkPolicy withMail(Function<String, String> reply) {
        SinkPolicy base = this;
        return new Delegating(base) {
            @Override
            public String onMail(String sender) {
                String r = reply.apply(sender);
                return r != null ? r : base.onMail(sender);
            }
        };
    }

    /** Greets with this reply, e.g. "554 5.7.1 no service" or "421 4.3.2 busy". */
    default SinkPolicy withGreeting(String reply) {
        return new Delegating(this) {
            @Override
            public String greeting(String hostname) {
                return reply;
            }
        };
    }

    /** Forwards everything, so each {@code with...} overrides one method and keeps the rest. */
    class Delegating implements SinkPolicy {
        private final SinkPolicy base;

        protected Delegating(SinkPolicy base) {
            this.base = base;
        }

        @Override
        public String greeting(String hostname) {
            return base.greeting(hostname);
        }

        @Override
        public String onMail(String sender) {
            return base.onMail(sender);
        }

        @Override
        public String onRcpt(String recipient) {
            return base.onRcpt(recipient);
        }

        @Override
        public String onEndOfData(ReceivedMessage message) {
            return base.onEndOfData(message);
        }
    }
}

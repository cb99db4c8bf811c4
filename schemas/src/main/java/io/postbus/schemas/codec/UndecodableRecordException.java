package io.postbus.schemas.codec;

/**
 * A record's bytes do not fit the expected schema. Permanent by nature: the same bytes fail the
 * same way on every retry, so a stage sends such a record to the dead-letter topic.
 */
public final class UndecodableRecordException extends RuntimeException {
    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}

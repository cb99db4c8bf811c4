package io.postbus.core.control;

/** What a consumer must do with a job before it attempts it. */
public enum ControlDecision {
    /** No command applies: deliver when due. */
    PROCEED,
    /** On hold: keep the job, make no attempt, until released. */
    HOLD,
    /** Deleted by the operator: drop the job (with a Deleted event). */
    DELETE,
    /** Its destination or site is suspended: keep the job and wait, this is not an attempt. */
    SUSPENDED,
    /** Requeued: attempt now, even when the job's retry time has not come. */
    REQUEUE
}

package io.postbus.core.control;

/** What an operator asks (Postfix's postsuper -h, -H, -d, -r, plus per-destination suspension). */
public enum ControlAction {
    HOLD, RELEASE, DELETE, REQUEUE, SUSPEND, RESUME;

    /** Actions about messages (queue ids or ALL); the others are about where mail goes. */
    public boolean aboutMessages() {
        return this != SUSPEND && this != RESUME;
    }
}

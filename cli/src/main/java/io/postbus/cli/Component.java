package io.postbus.cli;

import java.util.EnumSet;
import java.util.Set;

/** The parts one Postbus process can run; `postbus up` runs them all, Kubernetes one per pod. */
public enum Component {
    INGRESS, AUTH, SPAM, ROUTER, DELIVERY;

    public static Set<Component> all() {
        return EnumSet.allOf(Component.class);
    }
}

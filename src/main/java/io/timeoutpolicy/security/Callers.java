package io.timeoutpolicy.security;

import io.quarkus.security.identity.SecurityIdentity;

/** Who made a request, as audit records name them. */
public final class Callers {

    public static final String ANONYMOUS = "anonymous";

    private Callers() {
    }

    public static String nameOf(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? ANONYMOUS : identity.getPrincipal().getName();
    }
}

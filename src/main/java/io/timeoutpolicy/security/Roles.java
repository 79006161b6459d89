package io.timeoutpolicy.security;

/** The roles of SPEC 6. */
public final class Roles {

    /** Records attempts. */
    public static final String REPORTER = "reporter";
    /** Asks for bypass decisions. */
    public static final String DEPLOYER = "deployer";
    /** Changes policies. */
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}

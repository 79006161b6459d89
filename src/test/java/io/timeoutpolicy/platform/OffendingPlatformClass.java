package io.timeoutpolicy.platform;

import io.timeoutpolicy.policy.PolicyStore;

/** Test code only: a platform class that imports a feature, to show the package rule catches it. */
public final class OffendingPlatformClass {

    private OffendingPlatformClass() {
    }

    static String uses(PolicyStore policies) {
        return policies.toString();
    }
}

package io.timeoutpolicy.security;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Set;

/** API keys (SPEC 6): configured as SHA-256 hashes, never in plain text, each with its roles. */
@ConfigMapping(prefix = "timeout-policy.security")
public interface SecurityConfig {

    /**
     * The keys, by name: {@code timeout-policy.security.keys.<name>.sha256} and {@code .roles}. The name is
     * what audit records show. Defaults to none: every write is refused until a key is configured.
     */
    Map<String, ApiKey> keys();

    interface ApiKey {
        /** Lower-case hex SHA-256 of the key: {@code printf %s "$KEY" | sha256sum}. */
        String sha256();

        /** Any of reporter, deployer, operator. */
        Set<String> roles();
    }

    /**
     * Whether read endpoints need a key too (any role); read by the HTTP permission {@code readers} in
     * application.properties.
     */
    boolean readersRequireKey();
}

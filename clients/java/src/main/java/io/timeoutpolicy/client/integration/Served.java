package io.timeoutpolicy.client.integration;

import io.timeoutpolicy.client.Source;
import io.timeoutpolicy.client.StartupConfig;
import java.util.List;

/**
 * What an integration applied to one pool, for the application to look at (SPEC 9.1 point 5): where the values
 * came from ({@code source}, {@code cacheAgeSeconds} for the cache), the {@code policyVersion} (null for the
 * defaults), the settings as applied, and the settings the application had set itself and kept.
 */
public record Served(String environment, Source source, Integer policyVersion, Double cacheAgeSeconds,
        StartupConfig config, List<Knob> applied, List<String> keptFromApplication) {

    /** Nothing applied: no environment named, or no configuration for it anywhere. */
    public static final Served NONE = new Served(null, null, null, null, null, List.of(), List.of());

    public boolean isNone() {
        return config == null;
    }

    /** The applied setting named {@code name} (e.g. {@code connectionTimeout}), or null. */
    public Knob knob(String name) {
        return applied.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }
}

package io.timeoutpolicy.client.jdbc;

import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.Knobs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The pgJDBC connect timeouts an integration owns (the ones it applied at start, never the application's own)
 * and how to change them for the physical connects made from now on (SPEC 9.3): a pgJDBC DataSource reads its
 * setters at every connect; a driver DataSource copied its properties, so it is made again with the new ones.
 */
final class LiveConnects {

    private final Set<String> owned;
    private final Properties properties;
    private final Function<Properties, DataSource> rebuild;
    private final Map<String, Integer> inForce = new LinkedHashMap<>();

    private LiveConnects(Set<String> owned, Properties properties, Function<Properties, DataSource> rebuild,
            List<Knob> applied) {
        this.owned = owned;
        this.properties = properties;
        this.rebuild = rebuild;
        applied.stream().filter(k -> owned.contains(k.name())).forEach(k -> inForce.put(k.name(), (int) k.applied()));
    }

    /** Null when the integration owns neither timeout (the application set both, or the driver is not pgJDBC). */
    static LiveConnects of(List<Knob> applied, Properties properties, Function<Properties, DataSource> rebuild) {
        Set<String> owned = applied.stream().map(Knob::name)
                .filter(n -> n.equals("connectTimeout") || n.equals("loginTimeout")).collect(Collectors.toSet());
        return owned.isEmpty() ? null : new LiveConnects(owned, properties, rebuild, applied);
    }

    synchronized Map<String, Integer> inForce() {
        return Map.copyOf(inForce);
    }

    synchronized Integer loginTimeout() {
        return inForce.get("loginTimeout");
    }

    /**
     * Applies {@code knobs}; hands {@code install} the DataSource to connect through from now on when it had to be
     * made again — before the new values are in force, so that whoever sees them connects through it.
     */
    synchronized void apply(DataSource target, Knobs.PgJdbcKnobs knobs, List<String> changes,
            Consumer<DataSource> install) {
        Map<String, Integer> next = new LinkedHashMap<>();
        for (Knob knob : List.of(knobs.connectTimeout(), knobs.loginTimeout())) {
            if (owned.contains(knob.name()) && !Integer.valueOf((int) knob.applied()).equals(inForce.get(knob.name()))) {
                next.put(knob.name(), (int) knob.applied());
                changes.add(knob.name() + " " + inForce.get(knob.name()) + " → " + knob.describe().substring(knob.name().length() + 3));
            }
        }
        if (next.isEmpty()) {
            return;
        }
        Object pg = PgJdbc.pgDataSource(target);
        if (pg != null) {
            var source = (org.postgresql.ds.common.BaseDataSource) pg;
            next.forEach((name, seconds) -> {
                if (name.equals("connectTimeout")) {
                    source.setConnectTimeout(seconds);
                } else {
                    source.setLoginTimeout(seconds);
                }
            });
        } else if (rebuild != null && properties != null) {
            next.forEach((name, seconds) -> properties.setProperty(name, String.valueOf(seconds)));
            Properties copy = new Properties();
            copy.putAll(properties);
            install.accept(rebuild.apply(copy));
        } else {
            changes.clear();
            changes.add("the DataSource cannot take new connect timeouts while it runs: applied at the next start");
            return;
        }
        inForce.putAll(next);
    }
}

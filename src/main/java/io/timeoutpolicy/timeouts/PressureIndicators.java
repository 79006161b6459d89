package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.platform.problem.ProblemException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code pressure} query parameter (SPEC 4.2 step 4): comma-separated names, repeatable, matched
 * case-insensitively; a name given twice counts once, an empty value means none, and any name the
 * policy does not know is a 400 that lists the known ones.
 */
public final class PressureIndicators {

    private PressureIndicators() {
    }

    public static List<String> parse(List<String> values, Set<String> known) {
        if (values.isEmpty()) {
            return List.of(); // the common request names no indicator: nothing to allocate
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                String name = part.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        List<String> unknown = names.stream().filter(name -> !known.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw ProblemException.invalidField("pressure", "unknown indicator(s) " + unknown
                    + "; known indicators: " + known.stream().sorted().toList());
        }
        return List.copyOf(names);
    }
}

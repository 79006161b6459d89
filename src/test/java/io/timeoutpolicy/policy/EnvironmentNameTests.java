package io.timeoutpolicy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written check of environment names accepts exactly what the documented form does. */
class EnvironmentNameTests {

    private static final Pattern FORM = Pattern.compile(EnvironmentName.FORM);

    @Test
    void theCheckIsTheDocumentedForm() {
        List<String> names = new ArrayList<>(List.of("", "a", "staging", "prod-eu_1", "-a", "_a", "a-", "9", "A", "a b",
                "a.b", "é", "a/b", "a%00", "\u212Aelvin", "a".repeat(64), "a".repeat(65), "0" + "-".repeat(63)));
        String alphabet = "az09_-AZ.%/ \u0000é";
        for (char first : alphabet.toCharArray()) {
            for (char second : alphabet.toCharArray()) {
                names.add("" + first + second);
                names.add("x" + first + second);
            }
        }
        for (String name : names) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            assertEquals(FORM.matcher(lower).matches(), EnvironmentName.allowed(lower), name);
            assertEquals(FORM.matcher(lower).matches() ? Optional.of(lower) : Optional.empty(),
                    EnvironmentName.normalize(name), name);
        }
    }
}

package io.timeoutpolicy.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Per-method fault-tolerance settings are keyed by class and method names written as strings: after a
 * rename or a move they would silently apply to nothing (a 5 s page timeout falling back to 1.5 s). Every
 * such key of application.properties must name a class and one of its methods.
 */
class FaultToleranceKeysTests {

    private static final Pattern KEY = Pattern.compile("^quarkus\\.fault-tolerance\\.\"([^\"/]+)/([^\"]+)\"\\..+");

    @Test
    void every_per_method_key_names_an_existing_class_and_method() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        List<String> keys = new ArrayList<>();
        for (String name : properties.stringPropertyNames()) {
            Matcher matcher = KEY.matcher(name.replaceFirst("^%[a-z]+\\.", ""));
            if (matcher.matches()) {
                keys.add(name);
                Class<?> type = Class.forName(matcher.group(1));
                assertThat(Arrays.stream(type.getDeclaredMethods()).map(java.lang.reflect.Method::getName))
                        .as(name).contains(matcher.group(2));
            }
        }
        assertThat(keys).as("the per-method keys found").isNotEmpty();
    }
}

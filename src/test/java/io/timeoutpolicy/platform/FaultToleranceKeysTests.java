package io.timeoutpolicy.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.resilience.FaultProfile;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.junit.jupiter.api.Test;

/**
 * Per-method fault-tolerance settings are keyed by class and method names written as strings: after a
 * rename or a move they would silently apply to nothing (a 5 s page timeout falling back to 1.5 s). Every
 * such key, in application.properties and in the test profiles, must name a class, one of its methods, and
 * an annotation that method carries.
 */
class FaultToleranceKeysTests {

    private static final Pattern KEY = Pattern.compile(
            "^quarkus\\.fault-tolerance\\.\"([^\"/]+)/([^\"]+)\"\\.([a-z-]+)\\..+");
    private static final Map<String, Class<? extends Annotation>> ANNOTATIONS = Map.of("timeout", Timeout.class,
            "retry", Retry.class, "circuit-breaker", CircuitBreaker.class, "bulkhead", Bulkhead.class,
            "fallback", Fallback.class);

    @Test
    void every_per_method_key_of_the_properties_names_an_annotated_method() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        assertThat(checked(properties.stringPropertyNames())).as("the per-method keys found").isNotEmpty();
    }

    @Test
    void every_per_method_key_of_the_fault_profile_names_an_annotated_method() throws Exception {
        assertThat(checked(new FaultProfile().getConfigOverrides().keySet())).isNotEmpty();
    }

    private static List<String> checked(Set<String> names) throws ClassNotFoundException {
        List<String> keys = new ArrayList<>();
        for (String name : names) {
            Matcher matcher = KEY.matcher(name.replaceFirst("^%[a-z]+\\.", ""));
            if (!matcher.matches()) {
                continue;
            }
            keys.add(name);
            Class<?> type = Class.forName(matcher.group(1));
            List<Method> methods = Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> m.getName().equals(matcher.group(2))).toList();
            assertThat(methods).as(name + ": the method").isNotEmpty();
            Class<? extends Annotation> annotation = ANNOTATIONS.get(matcher.group(3));
            assertThat(annotation).as(name + ": a fault-tolerance annotation").isNotNull();
            assertThat(methods).as(name + ": carries @" + annotation.getSimpleName())
                    .anyMatch(m -> m.isAnnotationPresent(annotation));
        }
        return keys;
    }
}

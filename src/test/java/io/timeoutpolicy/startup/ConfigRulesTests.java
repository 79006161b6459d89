package io.timeoutpolicy.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigRulesTests {

    @Test
    void a_key_hash_is_64_hex_digits_and_never_repeated() {
        assertThat(new ConfigRules().sha256("k", "0ff86987c8ca08303de41f67acd9dda633b6ac174e05534d0d365f8299ae30fc")
                .problems()).isEmpty();
        assertThat(new ConfigRules().sha256("k", " 0FF86987C8CA08303DE41F67ACD9DDA633B6AC174E05534D0D365F8299AE30FC ")
                .problems()).isEmpty();
        List<String> problems = new ConfigRules().sha256("k", "my-secret-key").sha256("j", "a".repeat(63)).problems();
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("k must be 64 hexadecimal digits").contains("13 character(s)")
                .doesNotContain("my-secret-key");
    }

    @Test
    void roles_are_the_three_known_names() {
        assertThat(new ConfigRules().roles("r", List.of("reporter", " deployer", "operator")).problems()).isEmpty();
        assertThat(new ConfigRules().roles("r", List.of("deployers")).problems())
                .containsExactly("r names the unknown role 'deployers'; the roles are [deployer, operator, reporter]");
        assertThat(new ConfigRules().roles("r", List.of("Operator")).problems()).hasSize(1);
        assertThat(new ConfigRules().roles("r", List.of()).problems()).hasSize(1);
    }

    @Test
    void receivers_need_an_absolute_http_url_a_known_level_and_environment_names() {
        ConfigRules rules = new ConfigRules().httpUrl("u", URI.create("https://hooks.example.com/x"))
                .level("l", "CRITICAL").environments("e", List.of("production", "Staging"));
        assertThat(rules.problems()).isEmpty();
        assertThat(new ConfigRules().httpUrl("u", URI.create("/relative")).httpUrl("u", URI.create("ftp://h/"))
                .httpUrl("u", URI.create("mailto:x@y")).level("l", "severe").environments("e", List.of("a b\n"))
                .problems()).hasSize(5).last().asString().contains("'a b?'");
    }

    @Test
    void durations_and_sizes_in_range_at_the_thresholds() {
        assertThat(new ConfigRules().positive("d", Duration.ofNanos(1), Duration.ofDays(1))
                .positive("d", Duration.ofDays(1), Duration.ofDays(1)).notNegative("d", Duration.ZERO)
                .range("n", 1, 1, 10).range("n", 10, 1, 10).ratio("f", 1.0).problems()).isEmpty();
        assertThat(new ConfigRules().positive("d", Duration.ZERO, null)
                .positive("d", Duration.ofDays(1).plusNanos(1), Duration.ofDays(1))
                .notNegative("d", Duration.ofNanos(-1)).range("n", 0, 1, 10).range("n", 11, 1, 10).ratio("f", 0)
                .atLeast("a", Duration.ofSeconds(1), "b", Duration.ofSeconds(2)).problems()).hasSize(7);
    }
}

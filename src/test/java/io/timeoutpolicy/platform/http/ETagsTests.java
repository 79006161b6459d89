package io.timeoutpolicy.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 5: the ETag of a policy is its version in quotes; If-Match must name the current one. */
class ETagsTests {

    @Test
    void tag_is_the_version_in_quotes() {
        assertThat(ETags.of(3)).isEqualTo("\"3\"");
    }

    @ParameterizedTest(name = "If-Match: {0}")
    @ValueSource(strings = {"\"3\"", "3", " \"3\" ", "\"1\", \"3\"", "W/\"1\",\"3\"", "*", "\"2\", *"})
    void if_match_naming_the_current_version_matches(String ifMatch) {
        assertThat(ETags.matches(ifMatch, 3)).isTrue();
    }

    @ParameterizedTest(name = "If-Match: {0}")
    @ValueSource(strings = {"\"2\"", "2", "W/\"2\"", "W/\"3\"", "\"1\", W/\"3\"", "\"1\", \"2\"", "\"30\"",
        "\"03\"", "\"\"", "", "\"3"})
    void if_match_naming_another_version_or_a_weak_tag_does_not_match(String ifMatch) {
        assertThat(ETags.matches(ifMatch, 3)).isFalse();
    }

    @Test
    void tag_written_by_of_matches_its_own_version() {
        assertThat(ETags.matches(ETags.of(42), 42)).isTrue();
        assertThat(ETags.matches(ETags.of(42), 43)).isFalse();
    }
}

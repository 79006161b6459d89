package io.timeoutpolicy.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.platform.problem.FieldError;
import org.junit.jupiter.api.Test;

class TextRulesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ordinary_text_and_pairs_of_surrogates_pass() {
        assertThat(TextRules.problem("orders-api 2026.11 ü € 😀")).isNull();
        assertThat(TextRules.problem("x".repeat(TextRules.MAX_LENGTH))).isNull();
    }

    @Test
    void nul_controls_lone_surrogates_and_long_text_are_refused() {
        assertThat(TextRules.problem("a\u0000b")).isEqualTo("must not contain NUL (U+0000)");
        assertThat(TextRules.problem("a\r\nINFO forged")).contains("control characters (U+000D)");
        assertThat(TextRules.problem("tab\t")).contains("U+0009");
        assertThat(TextRules.problem("del\u007F")).contains("U+007F");
        assertThat(TextRules.problem("c1\u0085")).contains("U+0085");
        assertThat(TextRules.problem("a\uD800b")).contains("lone surrogate U+D800");
        assertThat(TextRules.problem("a\uDC00")).contains("lone surrogate U+DC00");
        assertThat(TextRules.problem("end\uD83D")).contains("lone surrogate");
        assertThat(TextRules.problem("x".repeat(TextRules.MAX_LENGTH + 1))).contains("at most 1024");
    }

    @Test
    void a_body_is_checked_everywhere_with_json_paths() throws Exception {
        var errors = TextRules.check(JSON.readTree("{\"a\": {\"b\": [\"ok\", null, \"x\\u0000\"]}, \"k\\u0001\": 1,"
                + " \"n\": null, \"list\": [1, {\"s\": \"\\ud800\"}]}"));
        assertThat(errors).extracting(FieldError::field)
                .containsExactly("a.b[1]", "a.b[2]", "k\uFFFD", "list[1].s");
        assertThat(TextRules.check(JSON.readTree("[null]"))).containsExactly(new FieldError("[0]", "must not be null"));
        assertThat(TextRules.check(JSON.readTree("{\"service\": \"orders\", \"n\": null}"))).isEmpty();
    }

    @Test
    void urls_are_checked_decoded() {
        assertThat(UrlTextCheck.problems("/api/v1/bypass-decisions", "service=a%00b"))
                .containsExactly(new FieldError("service", "must not contain NUL (U+0000)"));
        assertThat(UrlTextCheck.problems("/api/v1/environments/a%0Ab/policy", null)).extracting(FieldError::field)
                .containsExactly("path");
        assertThat(UrlTextCheck.problems("/x", "a=%zz")).extracting(FieldError::message)
                .containsExactly("has a malformed percent-escape");
        assertThat(UrlTextCheck.problems("/x", "since=2026-11-22T10%3A15%3A30%2B01%3A00&service=orders+api&flag"))
                .isEmpty();
        assertThat(UrlTextCheck.problems("/x", "%00=1")).extracting(FieldError::field).containsExactly("query");
    }
}

package io.timeoutpolicy.dashboard;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestApi.asOperator;
import static io.timeoutpolicy.dashboard.RolloutSeed.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.timeoutpolicy.TestApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The policy-change panels (SPEC 10) in a real browser against the real service and PostgreSQL: the
 * recommendations and their backtest, the candidate's score and cohorts, the versions in use and the rollout
 * timeline, each figure compared with the API's; and "Create shadow candidate" without a key, with a key that
 * lacks the operator role, with a stale If-Match, beside a candidate, and the one that creates it. The default
 * test profile (its database and fault-tolerance times): the environments are the tests' own, and nothing here
 * cuts the database, so the fault profile's short timeouts would only make a loaded machine fail them.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardRolloutBrowserTests extends BrowserTestBase {

    private static final Duration READY = Duration.ofSeconds(10);
    private static final String[] KEYS = {"initialization_timeout", "table_setup_timeout", "connection_timeout",
        "pool_timeout", "health_check_timeout"};
    /** Versions 1 to 5, a canary running (see RolloutSeed). */
    private static String history;
    /** A history only: where the button is tried. */
    private static String fresh;

    /** In a @BeforeEach: REST Assured is pointed at the service only once the class's service runs. */
    @BeforeEach
    void seedOnce() throws InterruptedException {
        if (history == null) {
            history = RolloutSeed.history();
            fresh = RolloutSeed.recommendable();
        }
    }

    /** The page on {@code environment}; refresh 600 s keeps it on the answers of its first round. */
    private void open(String environment, int refreshSeconds) {
        browser.viewport(1280, 800, false);
        browser.driver.get(root + "?environment=" + environment + "&refresh=" + refreshSeconds);
        browser.await(READY, d -> !d.findElements(By.cssSelector("#recommend-table tbody tr")).isEmpty()
                && !d.findElements(By.cssSelector("#timeline > li")).isEmpty());
    }

    // Read in one script each: the panels redraw every second, so an element found first may be replaced before
    // it is read.
    private String attribute(String selector, String name) {
        return (String) browser.script("const e = document.querySelector(arguments[0]);"
                + " return e === null ? null : e.getAttribute(arguments[1]);", selector, name);
    }

    private String textOf(String selector) {
        return (String) browser.script("const e = document.querySelector(arguments[0]);"
                + " return e === null ? null : e.innerText;", selector);
    }

    @SuppressWarnings("unchecked")
    private List<String> strings(String script) {
        return (List<String>) browser.script(script);
    }

    private String cell(String row, String className) {
        return attribute(row + " td." + className, "data-value");
    }

    private double number(String row, String className) {
        return Double.parseDouble(cell(row, className));
    }

    @Test
    @Order(1)
    void shows_the_recommendations_the_candidate_the_versions_in_use_and_the_timeline_as_the_api_gives_them()
            throws Exception {
        open(history, 1);
        JsonPath recommendations = given().get(path(history, "recommendations")).jsonPath();
        for (String key : KEYS) {
            String row = "#recommend-table tr[data-key=" + key + "]";
            String r = "recommendations." + key + ".";
            assertThat(attribute(row, "data-action"))
                    .isEqualTo(recommendations.getString(r + "action"));
            assertThat(number(row, "current-base")).isEqualTo(recommendations.getDouble(r + "current_base"));
            assertThat(number(row, "samples")).isEqualTo(recommendations.getDouble(r + "samples"));
            for (String side : List.of("current", "candidate")) {
                String b = r + "backtest." + side + ".";
                assertThat(number(row, "effective-" + side)).isEqualTo(recommendations.getDouble(b + "effective_timeout"));
                assertThat(number(row, "would-time-out-" + side)).isEqualTo(recommendations.getDouble(b + "would_time_out"));
                assertThat(number(row, "false-timeout-rate-" + side))
                        .isEqualTo(recommendations.getDouble(b + "false_timeout_rate"));
                assertThat(number(row, "wait-" + side)).isEqualTo(recommendations.getDouble(b + "total_wait_seconds"));
            }
        }
        String connection = "#recommend-table tr[data-key=connection_timeout]";
        // 12 s since version 4; the longest success, 3.7 s, × 1.2 rounded up to 0.5 s: 4.5 s, within one step.
        assertThat(number(connection, "recommended-base"))
                .isEqualTo(recommendations.getDouble("recommendations.connection_timeout.recommended_base")).isEqualTo(4.5);
        assertThat(textOf(connection + " td.action")).isEqualTo("lower");
        assertThat(cell("#recommend-table tr[data-key=pool_timeout]", "recommended-base")).isNullOrEmpty();
        assertThat(strings("return Array.from(document.querySelectorAll('#recommend-text li'), li => li.innerText)"))
                .isEqualTo(recommendations.getList("text", String.class));
        assertThat(Double.parseDouble(browser.value("worst-candidate")))
                .isEqualTo(recommendations.getDouble("worst_case_startup_seconds.candidate"));

        // The candidate: a 50 % canary, its score per key and both cohorts (none rolled back: min_attempts 1000).
        JsonPath candidate = given().get(path(history, "policy/candidate")).jsonPath();
        browser.await(READY, d -> "5".equals(browser.value("candidate-version")));
        assertThat(browser.value("candidate-mode")).isEqualTo("canary");
        assertThat(browser.text("candidate-mode")).isEqualTo("canary, 50 % of instances");
        assertThat(browser.value("candidate-status")).isEqualTo("candidate");
        String score = "#candidate-score tr[data-key=connection_timeout]";
        String s = "score.keys.connection_timeout.";
        assertThat(number(score, "base")).isEqualTo(8.0);
        assertThat(number(score, "attempts")).isEqualTo(candidate.getDouble(s + "attempts")).isEqualTo(8.0);
        for (String field : List.of("violations_current", "violations_candidate", "violation_rate_current",
                "violation_rate_candidate", "mean_timeout_current", "mean_timeout_candidate")) {
            assertThat(number(score, field.replace('_', '-'))).as(field).isEqualTo(candidate.getDouble(s + field));
        }
        for (String cohort : List.of("canary", "control")) {
            String row = "#candidate-cohorts tr[data-cohort=" + cohort + "]";
            String c = "score.cohorts." + cohort + ".";
            assertThat(number(row, "attempts")).isEqualTo(candidate.getDouble(c + "attempts"));
            assertThat(number(row, "violation-rate")).isEqualTo(candidate.getDouble(c + "violation_rate"));
            assertThat(number(row, "failure-rate")).isEqualTo(candidate.getDouble(c + "failure_rate"));
        }
        assertThat(number("#candidate-cohorts tr[data-cohort=canary]", "attempts"))
                .isEqualTo(2.0 * RolloutSeed.IN_COHORT);
        assertThat(number("#candidate-cohorts tr[data-cohort=canary]", "failure-rate")).isEqualTo(50.0);

        // Versions in use: instances per version as served and as reported.
        JsonPath instances = given().get(path(history, "instances")).jsonPath();
        browser.await(READY, d -> !d.findElements(By.cssSelector("#versions-in-use tr[data-version='5']")).isEmpty());
        assertThat(Double.parseDouble(browser.value("instances-count")))
                .isEqualTo(instances.getList("items").size()).isEqualTo(RolloutSeed.IN_COHORT + RolloutSeed.OUT_OF_COHORT);
        for (String version : List.of("4", "5")) {
            String row = "#versions-in-use tr[data-version='" + version + "']";
            assertThat(number(row, "served"))
                    .isEqualTo(((Number) instances.getMap("versions.served").get(version)).doubleValue());
            assertThat(number(row, "reported"))
                    .isEqualTo(((Number) instances.getMap("versions.reported").get(version)).doubleValue());
        }
        assertThat(number("#versions-in-use tr[data-version='5']", "served")).isEqualTo(RolloutSeed.IN_COHORT);
        browser.await(READY, d -> "current".equals(textOf("#versions-in-use tr[data-version='4'] td.status")));
        assertThat(browser.text("instances-bound")).contains("at most 10,000");

        // The timeline: every version, newest first, each transition at the time the API gives.
        JsonPath versions = given().get(path(history, "policy/versions")).jsonPath();
        assertThat(strings("return Array.from(document.querySelectorAll('#timeline > li'), li => li.dataset.status)"))
                .isEqualTo(versions.getList("items.status", String.class))
                .containsExactly("candidate", "current", "aborted", "rolled_back", "superseded");
        Map<Integer, String> changedAt = Map.of(1, versions.getString("items[4].status_changed_at"),
                2, versions.getString("items[3].status_changed_at"), 3, versions.getString("items[2].status_changed_at"));
        assertThat(textOf(event(2, "rolled_back"))).contains("rolled back: "
                + versions.getString("items[3].status_reason.reason")).contains("canary 10 attempts").contains("by guard");
        assertThat(attribute(event(2, "rolled_back") + " time", "datetime"))
                .isEqualTo(changedAt.get(2));
        assertThat(textOf(event(2, "created"))).contains("created as a canary candidate for 100 % of instances");
        assertThat(attribute(event(3, "aborted") + " time", "datetime"))
                .isEqualTo(changedAt.get(3));
        assertThat(textOf(event(4, "created"))).contains("created as a shadow candidate");
        assertThat(attribute(event(4, "promoted") + " time", "datetime"))
                .as("promoted when version 1 was superseded").isEqualTo(changedAt.get(1));
        assertThat(textOf(event(1, "superseded"))).contains("superseded by version 4");
        assertThat(attribute(event(5, "created") + " time", "datetime"))
                .isEqualTo(versions.getString("items[0].updated_at"));
        assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
        browser.script("document.getElementById('recommend-title').scrollIntoView()");
        browser.screenshot("dashboard-rollout");
        browser.script("document.getElementById('candidate-title').scrollIntoView()");
        browser.screenshot("dashboard-rollout-candidate");
    }

    private static String event(int version, String event) {
        return "#timeline > li[data-version='" + version + "'] li[data-event=" + event + "]";
    }

    @Test
    @Order(2)
    void without_a_key_the_button_is_disabled_says_why_and_creates_nothing() throws Exception {
        browser.driver.get(root + "?environment=" + fresh);
        browser.script("sessionStorage.clear()");
        open(fresh, 1);
        WebElement button = browser.driver.findElement(By.id("create-candidate"));
        assertThat(button.isEnabled()).isFalse();
        assertThat(browser.text("create-candidate-reason")).contains("operator role");
        assertThat(browser.driver.findElement(By.id("enter-key")).isDisplayed()).isTrue();
        assertThat(browser.text("candidate-none")).startsWith("No candidate");
        browser.script("arguments[0].click()", button);
        Thread.sleep(1500);
        given().get(path(fresh, "policy/candidate")).then().statusCode(404);
        assertThat(given().get(path(fresh, "policy/versions")).jsonPath().getList("items")).hasSize(1);
    }

    @Test
    @Order(3)
    void with_a_key_the_button_shows_each_refusal_as_its_problem_and_with_the_operators_creates_the_candidate()
            throws Exception {
        // A key without the operator role: 403, shown as the problem's title and detail.
        browser.driver.get(root + "?environment=" + fresh);
        browser.script("sessionStorage.clear()");
        open(fresh, 600);
        useKey(TestApi.REPORTER_KEY, fresh);
        clickAndAwaitProblem("403 Forbidden");

        // The operator's key, but the policy changed after the page read the recommendation: 412.
        useKey(TestApi.OPERATOR_KEY, fresh);
        Map<String, Object> current = given().get(path(fresh, "policy")).jsonPath().getMap("");
        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(current)
                .put(path(fresh, "policy")).then().statusCode(200);
        clickAndAwaitProblem("412 Precondition failed: If-Match does not name the current version of '" + fresh
                + "', which is \"2\"");
        given().get(path(fresh, "policy/candidate")).then().statusCode(404);

        // Read again: created, shown, and in the API with the proposed bases.
        open(fresh, 600);
        JsonPath recommendations = given().get(path(fresh, "recommendations")).jsonPath();
        browser.driver.findElement(By.id("create-candidate")).click();
        browser.await(READY, d -> browser.text("create-candidate-done")
                .equals("Created candidate version 3 in shadow from version 2."));
        browser.await(READY, d -> "3".equals(browser.value("candidate-version")));
        assertThat(browser.value("candidate-mode")).isEqualTo("shadow");
        assertThat(browser.driver.findElement(By.id("create-candidate-problem")).isDisplayed()).isFalse();
        JsonPath candidate = given().get(path(fresh, "policy/candidate")).then().statusCode(200).extract().jsonPath();
        assertThat(candidate.getInt("version")).isEqualTo(3);
        assertThat(candidate.getString("status")).isEqualTo("candidate");
        assertThat(candidate.getString("rollout.mode")).isEqualTo("shadow");
        assertThat(candidate.getDouble("base_timeouts.connection_timeout"))
                .isEqualTo(recommendations.getDouble("recommendations.connection_timeout.recommended_base"))
                .isEqualTo(5.0);
        assertThat(candidate.getMap("base_timeouts")).isEqualTo(recommendations.getMap("candidate.base_timeouts"));
        assertThat(candidate.getString("updated_by")).isNotBlank();
        assertThat(number("#candidate-score tr[data-key=connection_timeout]", "base")).isEqualTo(5.0);
        browser.await(READY, d -> !d.findElements(By.cssSelector("#timeline > li[data-version='3']")).isEmpty());

        // Again beside the candidate it made: 409, the candidate untouched.
        clickAndAwaitProblem("409 Conflict: '" + fresh + "' has candidate version 3 already");
        assertThat(given().get(path(fresh, "policy/candidate")).jsonPath().getInt("version")).isEqualTo(3);
        browser.script("document.getElementById('create-candidate').scrollIntoView({block: 'center'})");
        browser.screenshot("dashboard-candidate-refused");
    }

    /** Types {@code key} in the key form (opened by "Enter a key" when none is in use); the page reloads. */
    private void useKey(String key, String environment) {
        if (!browser.driver.findElement(By.id("key-form")).isDisplayed()) {
            browser.driver.findElement(By.id("enter-key")).click();
            assertThat(browser.driver.switchTo().activeElement().getDomAttribute("id")).as("the key field has focus")
                    .isEqualTo("api-key");
        }
        browser.driver.findElement(By.id("api-key")).clear();
        browser.driver.findElement(By.id("api-key")).sendKeys(key);
        browser.driver.findElement(By.cssSelector("#key-form button")).click();
        browser.await(READY, d -> Boolean.TRUE.equals(browser.script(
                "return document.readyState === 'complete' && sessionStorage.getItem('timeout-policy.api-key') === arguments[0]",
                key)));
        open(environment, 600);
        browser.await(READY, d -> d.findElement(By.id("create-candidate")).isEnabled());
        assertThat(browser.driver.findElement(By.id("enter-key")).isDisplayed()).isFalse();
    }

    private void clickAndAwaitProblem(String expected) {
        browser.driver.findElement(By.id("create-candidate")).click();
        browser.await(READY, d -> d.findElement(By.id("create-candidate-problem")).isDisplayed());
        assertThat(browser.text("create-candidate-problem")).startsWith("Not created: " + expected);
    }
}

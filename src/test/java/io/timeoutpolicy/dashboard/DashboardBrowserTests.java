package io.timeoutpolicy.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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
 * The dashboard in a real browser against the real service and PostgreSQL: staging with a seeded history
 * (DashboardSeed), the page refreshing every second (?refresh=1), one browser for the whole class.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests extends BrowserTestBase {

    private static final Duration PAGE_READY = Duration.ofSeconds(10);
    private static boolean seeded;

    /** In a @BeforeEach: REST Assured is pointed at the service only once the class's service runs. */
    @BeforeEach
    void seedOnce() {
        if (!seeded) {
            DashboardSeed.staging();
            seeded = true;
        }
    }

    private void open() {
        openStaging(PAGE_READY, "success-rate", "connection-timeout", "circuit-state");
        browser.await(PAGE_READY, d -> !d.findElements(By.cssSelector("#decisions tbody tr")).isEmpty());
    }

    @Test
    @Order(1)
    void loads_without_console_errors_and_shows_the_apis_numbers_for_staging() throws Exception {
        open();
        // The figures stay equal to the API's for a few refreshes: nothing drifts or flickers to a blank.
        for (int round = 0; round < 3; round++) {
            JsonPath timeouts = given().get("/api/v1/environments/staging/timeouts").jsonPath();
            JsonPath metrics = given().get("/api/v1/environments/staging/metrics?window=PT24H").jsonPath();
            JsonPath circuit = given().get("/api/v1/environments/staging/circuit").jsonPath();
            assertThat(Double.parseDouble(browser.value("connection-timeout")))
                    .isEqualTo(timeouts.getDouble("timeouts.connection_timeout"));
            assertThat(Double.parseDouble(browser.value("success-rate"))).isEqualTo(metrics.getDouble("success_rate"));
            assertThat(Double.parseDouble(browser.value("p99"))).isEqualTo(metrics.getDouble("p99"));
            assertThat(browser.value("circuit-state")).isEqualTo(circuit.getString("state"));
            assertThat(browser.text("success-rate")).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f",
                    metrics.getDouble("success_rate")));
            Thread.sleep(1100);
        }
        assertThat(browser.driver.getCurrentUrl()).contains("environment=staging");
        assertThat(browser.driver.findElements(By.cssSelector("#alerts li.alert"))).isNotEmpty();
        assertThat(browser.text("assessment-status")).isNotEqualTo("–");
        assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
        browser.screenshot("dashboard-loaded");
    }

    @Test
    @Order(2)
    void shows_each_explanation_on_focus_and_re_asks_with_a_pressure_indicator() throws Exception {
        open();
        WebElement connection = browser.driver.findElement(By.cssSelector("#timeouts-table tr[data-key=connection_timeout]"));
        String explanation = given().get("/api/v1/environments/staging/timeouts").jsonPath()
                .getString("explanations.connection_timeout.text");
        browser.script("arguments[0].focus()", connection);
        assertThat(browser.text("explanation")).isEqualTo("connection: " + explanation);
        assertThat(connection.getDomAttribute("title")).isEqualTo(explanation);

        double underPressure = given().queryParam("pressure", "vpc_connector_scaling")
                .get("/api/v1/environments/staging/timeouts").jsonPath().getDouble("timeouts.connection_timeout");
        browser.driver.findElement(By.cssSelector("input[value=vpc_connector_scaling]")).click();
        browser.await(Duration.ofSeconds(3), d -> browser.value("connection-timeout").equals(js(underPressure)));
        browser.screenshot("dashboard-pressure");
        browser.driver.findElement(By.cssSelector("input[value=vpc_connector_scaling]")).click();
    }

    @Test
    @Order(3)
    void is_usable_from_the_keyboard() throws Exception {
        open();
        // Every visible control, named so that a re-rendered timeout row keeps its name (its data-key).
        browser.script("window.controlName = (e) => e.tagName + '#' + (e.id || '') + '[' + (e.tagName === 'SELECT'"
                + " ? '' : (e.getAttribute('value') || e.dataset.key || e.getAttribute('aria-label')"
                + " || e.textContent.trim().slice(0, 30))) + ']';");
        String name = "return window.controlName(document.activeElement);";
        @SuppressWarnings("unchecked")
        java.util.List<String> controls = (java.util.List<String>) browser.script("return Array.from(document"
                + ".querySelectorAll('select, input, button, a[href], [tabindex]:not([tabindex=\"-1\"])'))"
                + ".filter(e => e.offsetParent !== null && !e.disabled).map(window.controlName)");
        browser.script("document.activeElement.blur(); window.scrollTo(0, 0)");
        java.util.List<String> reached = new java.util.ArrayList<>();
        String focusOutline = null;
        for (int i = 0; i < controls.size() + 5; i++) {
            browser.driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
            reached.add((String) browser.script(name));
            WebElement active = browser.driver.switchTo().activeElement();
            if ("vpc_connector_scaling".equals(active.getDomAttribute("value")) && !active.isSelected()) {
                focusOutline = active.getCssValue("outline-style");
                active.sendKeys(" ");
            }
        }
        System.out.println("Tab order: " + reached);
        assertThat(controls).as("controls on the page").hasSizeGreaterThan(20)
                .contains("SELECT#environment[]", "TR#[connection_timeout]", "A#[API (Swagger UI)]");
        assertThat(reached).as("every control is reached by Tab").containsAll(controls);
        assertThat(browser.driver.findElement(By.cssSelector("input[value=vpc_connector_scaling]")).isSelected())
                .as("space toggles the indicator").isTrue();
        assertThat(focusOutline).as("visible focus").isEqualTo("solid");
        browser.screenshot("dashboard-keyboard");
        browser.driver.findElement(By.cssSelector("input[value=vpc_connector_scaling]")).click();
    }

    @Test
    @Order(4)
    void picking_an_environment_keeps_it_in_the_url_and_shows_an_open_circuit_counting_down() throws Exception {
        String environment = io.timeoutpolicy.TestEnvironments.stagingLike();
        io.timeoutpolicy.TestEnvironments.record(io.timeoutpolicy.TestEnvironments.repeated(environment, 6, 2.0, false));
        open();
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("environment")))
                .selectByValue(environment);
        browser.await(Duration.ofSeconds(3), d -> "open".equals(browser.value("circuit-state")));
        assertThat(browser.driver.getCurrentUrl()).contains("environment=" + environment);
        double retryAfter = given().get("/api/v1/environments/" + environment + "/circuit").jsonPath()
                .getDouble("retry_after_seconds");
        String countdown = browser.text("circuit-countdown");
        assertThat(countdown).matches("half-open in \\d+ s");
        int seconds = Integer.parseInt(countdown.replaceAll("\\D", ""));
        // The page rounds up and ticks once a second between refreshes: it may show up to 2 s more than the
        // answer fetched just before it was read, and less by what its own fetch and the polling took.
        assertThat((double) seconds).isBetween(retryAfter - 3, retryAfter + 2.5);
        browser.screenshot("dashboard-open-circuit");
        browser.driver.navigate().refresh();
        browser.await(Duration.ofSeconds(5), d -> "open".equals(browser.value("circuit-state")));
        assertThat(browser.text("circuit-state")).isEqualTo("open");
    }

    @Test
    @Order(5)
    void an_alert_posted_while_the_page_is_open_appears_in_the_feed_within_two_seconds() throws Exception {
        open();
        browser.await(Duration.ofSeconds(5), d -> browser.text("stream-state").equals("live"));
        long posted = System.nanoTime();
        JsonPath answer = given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"staging\", \"operation\": \"health_check\", \"duration_seconds\": 29.9,"
                        + " \"success\": true, \"timeout_seconds\": 30.0}")
                .post("/api/v1/attempts").then().statusCode(201).extract().jsonPath();
        String id = answer.getString("alerts[0].id");
        assertThat(id).isNotNull();
        browser.await(Duration.ofSeconds(2), d -> !d.findElements(By.cssSelector("#alerts li[data-id='" + id + "']")).isEmpty());
        System.out.printf("alert in the feed %d ms after the POST was sent%n", (System.nanoTime() - posted) / 1_000_000);
        assertThat(browser.driver.findElement(By.cssSelector("#alerts li")).getDomAttribute("data-id"))
                .as("newest first").isEqualTo(id);
        assertThat(browser.driver.findElement(By.cssSelector("#alerts li")).getDomAttribute("class")).contains("critical");
        browser.screenshot("dashboard-alert");
    }

    @Test
    @Order(6)
    void a_new_decision_appears_in_the_table_after_the_next_refresh() throws Exception {
        open();
        String id = DashboardSeed.decision("payments", "payments-2.4.1", 1);
        browser.await(Duration.ofSeconds(3), d -> !d.findElements(By.cssSelector("#decisions tr[data-id='" + id + "']")).isEmpty());
        WebElement row = browser.driver.findElement(By.cssSelector("#decisions tbody tr"));
        assertThat(row.getDomAttribute("data-id")).as("newest first").isEqualTo(id);
        assertThat(row.getText()).contains("payments").contains("payments-2.4.1");

        browser.driver.findElement(By.id("filter-service")).sendKeys("checkout");
        browser.driver.findElement(By.cssSelector("#decision-filters button")).click();
        browser.await(Duration.ofSeconds(3), d -> d.findElements(By.cssSelector("#decisions tr[data-id='" + id + "']")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector("#decisions tbody tr"))).hasSize(20)
                .allSatisfy(r -> assertThat(r.getText()).contains("checkout"));
        browser.driver.findElement(By.id("load-more")).click();
        browser.await(Duration.ofSeconds(3), d -> d.findElements(By.cssSelector("#decisions tbody tr")).size()
                == DashboardSeed.CHECKOUT_DECISIONS);
        int stopped = given().get("/api/v1/bypass-decisions?environment=staging&service=checkout&bypass=false&limit=100")
                .jsonPath().getList("items").size();
        assertThat(stopped).isBetween(1, DashboardSeed.CHECKOUT_DECISIONS - 1);
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("filter-outcome"))).selectByValue("false");
        browser.driver.findElement(By.cssSelector("#decision-filters button")).click();
        browser.await(Duration.ofSeconds(3), d -> d.findElements(By.cssSelector("#decisions tbody tr")).size()
                == Math.min(stopped, 20));
        assertThat(browser.driver.findElements(By.cssSelector("#decisions tbody tr td.outcome")))
                .allSatisfy(cell -> assertThat(cell.getText()).isEqualTo("stop"));
        browser.screenshot("dashboard-decisions");
    }

    @Test
    @Order(7)
    void the_simulate_form_shows_the_apis_would_time_out() throws Exception {
        open();
        int expected = given().contentType(ContentType.JSON).body("{\"timeouts\": {\"connection_timeout\": 15.0}}")
                .post("/api/v1/environments/staging/simulate").jsonPath().getInt("results.connection_timeout.would_time_out");
        assertThat(expected).isPositive();
        browser.driver.findElement(By.id("candidate-connection_timeout")).sendKeys("15");
        browser.driver.findElement(By.cssSelector("#simulate-form button")).click();
        By cell = By.cssSelector("#simulation tr[data-key=connection_timeout] .would-time-out");
        browser.await(Duration.ofSeconds(3), d -> !d.findElements(cell).isEmpty());
        assertThat(browser.driver.findElement(cell).getText()).isEqualTo(String.valueOf(expected));
        browser.screenshot("dashboard-simulate");
    }

    @Test
    @Order(8)
    void has_no_horizontal_scroll_at_390_pixels_and_no_serious_accessibility_violation() throws Exception {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            open();
            browser.viewport(size[0], size[1], size[0] < 500);
            Thread.sleep(300);
            Map<?, ?> widths = (Map<?, ?>) browser.script("return {scroll: document.documentElement.scrollWidth,"
                    + " client: document.documentElement.clientWidth}");
            assertThat(((Number) widths.get("scroll")).intValue()).as("scrollWidth at " + size[0] + " px")
                    .isLessThanOrEqualTo(((Number) widths.get("client")).intValue());
            List<Rule> violations = new AxeBuilder().analyze(browser.driver).getViolations().stream()
                    .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())).toList();
            assertThat(violations).as("axe-core serious or critical violations at " + size[0] + " px: "
                    + violations.stream().map(r -> r.getId() + " " + r.getNodes().size()).toList()).isEmpty();
            browser.screenshot("dashboard-" + size[0]);
        }
    }

    @Test
    @Order(9)
    void the_whole_page_filled_for_the_readme() throws Exception {
        open();
        browser.driver.findElement(By.id("candidate-connection_timeout")).sendKeys("15");
        browser.driver.findElement(By.id("candidate-initialization_timeout")).sendKeys("60");
        browser.driver.findElement(By.cssSelector("#simulate-form button")).click();
        browser.await(Duration.ofSeconds(3), d -> !d.findElements(By.cssSelector("#simulation tbody tr")).isEmpty());
        long height = ((Number) browser.script("return document.documentElement.scrollHeight")).longValue();
        browser.viewport(1280, (int) height, false);
        Thread.sleep(300);
        java.nio.file.Path full = browser.screenshot("dashboard");
        // The copy in docs/using.md (docs/dashboard.png) is this one, scaled down to stay small in the repository.
        java.nio.file.Path small = Browser.SCREENSHOTS.resolve("dashboard-readme.png");
        Screenshots.scale(full, small, 1000);
        // 300 kB: the page grew by the four policy-change panels (it was 200 kB for the seven before them).
        assertThat(java.nio.file.Files.size(small)).isLessThan(300_000);
    }

    @Test
    @Order(10)
    void an_open_circuit_turns_half_open_when_its_reset_timeout_has_passed() throws Exception {
        String environment = io.timeoutpolicy.TestEnvironments.create(false,
                io.timeoutpolicy.TestEnvironments.DEVELOPMENT_BASES,
                ", \"circuit\": {\"failure_threshold\": 5, \"reset_timeout\": 3.0}");
        io.timeoutpolicy.TestEnvironments.record(io.timeoutpolicy.TestEnvironments.repeated(environment, 5, 2.0, false));
        browser.viewport(1280, 800, false);
        browser.driver.get(root + "?environment=" + environment + "&refresh=1");
        browser.await(Duration.ofSeconds(3), d -> "open".equals(browser.value("circuit-state")));
        assertThat(browser.text("circuit-countdown")).matches("half-open (in [1-3] s|now)");
        // 3 s after the last failure the service answers half_open; the page shows it at its next refresh.
        browser.await(Duration.ofSeconds(8), d -> "half_open".equals(browser.value("circuit-state")));
        assertThat(browser.text("circuit-state")).isEqualTo("half-open");
        assertThat(browser.text("circuit-countdown")).isEmpty();
        assertThat(given().get("/api/v1/environments/" + environment + "/circuit").jsonPath().getString("state"))
                .isEqualTo("half_open");
        browser.script("document.getElementById('circuit-state').scrollIntoView()");
        browser.screenshot("dashboard-half-open-circuit");
    }

    @Test
    @Order(11)
    void the_trend_follows_the_window_and_bucket_chosen() throws Exception {
        open();
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("trend-window"))).selectByValue("PT6H");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("trend-bucket"))).selectByValue("PT5M");
        JsonPath metrics = given().get("/api/v1/environments/staging/metrics?window=PT6H").jsonPath();
        int buckets = given().get("/api/v1/environments/staging/trend?window=PT6H&bucket=PT5M").jsonPath()
                .getList("buckets").size();
        assertThat(buckets).as("6 h in 5-minute buckets, not the default 24 h in hours (24)").isEqualTo(72);
        browser.await(Duration.ofSeconds(3), d -> ((Number) browser.script(
                "return Chart.getChart('trend-chart').data.labels.length")).intValue() == buckets);
        assertThat(Double.parseDouble(browser.value("success-rate"))).isEqualTo(metrics.getDouble("success_rate"));
        assertThat(Double.parseDouble(browser.value("p99"))).isEqualTo(metrics.getDouble("p99"));
        browser.screenshot("dashboard-trend-6h");
    }
}

package io.timeoutpolicy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

/**
 * The page when things go wrong: the database cut by the proxy (degraded banner, and gone after), the history
 * still loading (503 history-incomplete); and Swagger UI, the service's other page, rendering.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardOutageBrowserTests extends BrowserTestBase {


    private void open() {
        openStaging(Duration.ofSeconds(10), "connection-timeout", "circuit-state");
    }

    @Test
    @Order(1)
    void swagger_ui_renders_its_operations() throws Exception {
        browser.viewport(1280, 800, false);
        browser.driver.get(root + "q/swagger-ui");
        browser.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector(".opblock")).size() > 10);
        assertThat(browser.driver.findElements(By.cssSelector(".opblock-summary-path")))
                .anySatisfy(path -> assertThat(path.getText()).contains("/api/v1/environments/{environment}/timeouts"));
        browser.screenshot("swagger-ui");
    }

    @Test
    @Order(2)
    void shows_the_degraded_banner_while_the_database_is_cut_and_removes_it_after() throws Exception {
        open();
        browser.await(Duration.ofSeconds(10), d -> !d.findElement(By.id("banner")).isDisplayed());
        DashboardProfile.ProxiedDatabase.proxy.cut();
        try {
            browser.await(Duration.ofSeconds(15), d -> d.findElement(By.id("banner")).isDisplayed());
            browser.await(Duration.ofSeconds(15), d -> browser.text("banner").contains("degraded"));
            browser.screenshot("dashboard-degraded");
        } finally {
            DashboardProfile.ProxiedDatabase.proxy.pass();
            CircuitBreakerMaintenance.get().resetAll();
        }
        browser.await(Duration.ofSeconds(20), d -> !d.findElement(By.id("banner")).isDisplayed());
        browser.screenshot("dashboard-recovered");
    }

    @Test
    @Order(3)
    void says_the_history_is_loading_when_an_answer_is_503_history_incomplete() throws Exception {
        // The service answers this while a replica reads its window (HistoryCatchUpIT makes it for real); here
        // the browser is given that exact answer for …/metrics, to see what the page makes of it.
        String problem = "{\"type\":\"urn:timeout-policy:problem:history-incomplete\",\"title\":\"History not"
                + " loaded yet\",\"status\":503,\"detail\":\"The history of the last PT24H is still being read\"}";
        try (Browser.Injected script = browser.beforePageScripts(
                "const real = window.fetch; window.fetch = (url, init) => String(url).includes('/metrics')"
                        + " ? Promise.resolve(new Response('" + problem + "', {status: 503, headers:"
                        + " {'Content-Type': 'application/problem+json', 'Retry-After': '5'}}))"
                        + " : real(url, init);")) {
            browser.viewport(1280, 800, false);
            browser.driver.get(root + "?environment=staging&refresh=1");
            browser.await(Duration.ofSeconds(5), d -> browser.text("banner").contains("trend: the history is still loading"));
            assertThat(browser.text("banner")).doesNotContain("request failed");
            browser.screenshot("dashboard-history-loading");
        }
    }

    @Test
    @Order(4)
    void a_slow_service_gets_at_most_one_request_per_panel_at_a_time() throws Exception {
        // Every answer takes 1.5 s while the page asks to refresh every 0.2 s: the page must wait, not pile up.
        try (Browser.Injected script = browser.beforePageScripts(
                "const real = window.fetch; window.inFlight = {}; window.most = {}; window.sent = {};"
                        + " window.fetch = (url, init) => { const path = String(url).split('?')[0];"
                        + " if (path.endsWith('/stream')) { return real(url, init); }"
                        + " window.inFlight[path] = (window.inFlight[path] || 0) + 1;"
                        + " window.sent[path] = (window.sent[path] || 0) + 1;"
                        + " window.most[path] = Math.max(window.most[path] || 0, window.inFlight[path]);"
                        + " return new Promise((r) => setTimeout(r, 1500)).then(() => real(url, init))"
                        + ".finally(() => { window.inFlight[path] -= 1; }); };")) {
            browser.driver.get(root + "?environment=staging&refresh=0.2");
            Thread.sleep(6000);
            Map<?, ?> most = (Map<?, ?>) browser.script("return window.most");
            Map<?, ?> sent = (Map<?, ?>) browser.script("return window.sent");
            System.out.println("slow service, 6 s at refresh=0.2: requests sent per path " + sent);
            assertThat(most).isNotEmpty();
            assertThat(most.values()).allSatisfy(n -> assertThat(((Number) n).intValue()).isEqualTo(1));
            // Piling up, 6 s at 0.2 s would be about 30 requests a panel; waiting for each answer, at most 4.
            assertThat(sent.values()).allSatisfy(n -> assertThat(((Number) n).intValue()).isBetween(1, 4));
            assertThat(browser.value("connection-timeout")).isNotEmpty();
            browser.screenshot("dashboard-slow-service");
        }
    }

    @Test
    @Order(5)
    void an_answer_for_the_environment_left_behind_is_not_drawn() throws Exception {
        double staging = io.restassured.RestAssured.given().get("/api/v1/environments/staging/timeouts").jsonPath()
                .getDouble("timeouts.connection_timeout");
        double development = io.restassured.RestAssured.given().get("/api/v1/environments/development/timeouts")
                .jsonPath().getDouble("timeouts.connection_timeout");
        assertThat(staging).isNotEqualTo(development);
        // Staging's answers take 1.5 s, so the reader switches to development while staging's round is in flight;
        // development's take 1 s, so that staging's late answer would stay on screen for a while if drawn.
        try (Browser.Injected script = browser.beforePageScripts(
                "const real = window.fetch; window.fetch = (url, init) => { const u = String(url);"
                        + " const wait = u.includes('/environments/staging/') ? 1500"
                        + " : u.includes('/environments/development/') ? 1000 : 0;"
                        + " return new Promise((r) => setTimeout(r, wait)).then(() => real(url, init)); };")) {
            browser.driver.get(root + "?environment=staging&refresh=1");
            browser.await(Duration.ofSeconds(5), d -> !d.findElements(By.cssSelector("#environment option")).isEmpty());
            new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("environment")))
                    .selectByValue("development");
            java.util.List<String> shown = new java.util.ArrayList<>();
            for (long end = System.nanoTime() + 6_000_000_000L; System.nanoTime() < end; ) {
                shown.add(browser.value("connection-timeout"));
                Thread.sleep(50);
            }
            System.out.println("connection timeout shown after the switch: " + new java.util.LinkedHashSet<>(shown));
            assertThat(shown).as("staging's late answer").doesNotContain(js(staging))
                    .endsWith(js(development));
            browser.screenshot("dashboard-after-switch");
        }
    }

    @Test
    @Order(6)
    void the_alert_feed_reconnects_by_itself_when_its_stream_breaks() throws Exception {
        String environment = io.timeoutpolicy.TestEnvironments.stagingLike();
        // The first stream breaks 1.5 s after it opened (as a proxy's idle cut would); later ones are left alone.
        try (Browser.Injected script = browser.beforePageScripts(
                "const real = window.fetch; window.streams = 0; window.fetch = async (url, init) => {"
                        + " const response = await real(url, init);"
                        + " if (!String(url).includes('/alerts/stream') || ++window.streams > 1) { return response; }"
                        + " const reader = response.body.getReader();"
                        + " const body = new ReadableStream({ start(c) {"
                        + " setTimeout(() => { reader.cancel().catch(() => {}); c.error(new TypeError('cut')); }, 1500);"
                        + " (async () => { try { for (;;) { const { value, done } = await reader.read();"
                        + " if (done) { c.close(); return; } c.enqueue(value); } } catch (e) { } })(); } });"
                        + " return new Response(body, { status: response.status, headers: response.headers }); };")) {
            browser.driver.get(root + "?environment=" + environment + "&refresh=1");
            browser.await(Duration.ofSeconds(5), d -> browser.text("stream-state").equals("live"));
            browser.await(Duration.ofSeconds(5), d -> browser.text("stream-state").startsWith("reconnecting"));
            browser.await(Duration.ofSeconds(5), d -> browser.text("stream-state").equals("live")
                    && ((Number) browser.script("return window.streams")).intValue() == 2);
            String id = io.restassured.RestAssured.given().header("X-API-Key", io.timeoutpolicy.TestApi.REPORTER_KEY)
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body("{\"environment\": \"" + environment + "\", \"operation\": \"health_check\","
                            + " \"duration_seconds\": 29.9, \"success\": true, \"timeout_seconds\": 30.0}")
                    .post("/api/v1/attempts").then().statusCode(201).extract().jsonPath().getString("alerts[0].id");
            assertThat(id).isNotNull();
            browser.await(Duration.ofSeconds(2),
                    d -> !d.findElements(By.cssSelector("#alerts li[data-id='" + id + "']")).isEmpty());
            browser.screenshot("dashboard-alerts-reconnected");
        }
    }
}

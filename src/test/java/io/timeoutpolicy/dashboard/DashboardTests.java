package io.timeoutpolicy.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's files over HTTP: served by the service itself, open to readers, with their own CSP. */
@QuarkusTest
class DashboardTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void root_answers_the_page_to_a_browser() {
        given().accept("text/html").get("/").then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("<title>Timeout Policy Service — dashboard</title>"))
                .body(containsString("/webjars/chart.js/dist/chart.umd.js"));
    }

    @Test
    void serves_its_modules_and_chart_js_from_the_webjar() {
        for (String module : new String[] {"main", "api", "panel", "status", "format", "timeouts", "trend", "health",
                "alerts", "decisions", "simulate", "recommendations", "rollout"}) {
            given().get("/dashboard/" + module + ".js").then().statusCode(200)
                    .contentType(containsString("javascript"))
                    .header("Content-Security-Policy", containsString("default-src 'self'"));
        }
        given().get("/dashboard/dashboard.css").then().statusCode(200).contentType(startsWith("text/css"));
        given().get("/webjars/chart.js/dist/chart.umd.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("Chart.js v4.5.1"));
    }

    @Test
    void every_file_is_revalidated_so_an_upgrade_shows_the_new_page_at_once() {
        for (String path : new String[] {"/", "/index.html", "/dashboard/main.js", "/dashboard/dashboard.css",
                "/webjars/chart.js/dist/chart.umd.js"}) {
            io.restassured.response.Response first = given().accept("text/html, */*").get(path);
            first.then().statusCode(200).header("Cache-Control", equalTo("no-cache"))
                    .header("Cache-Control", not(containsString("immutable")))
                    .header("Last-Modified", notNullValue());
            given().accept("text/html, */*").header("If-Modified-Since", first.header("Last-Modified")).get(path)
                    .then().statusCode(304);
            assertThat(first.headers().getValues("Cache-Control")).as(path + ": one Cache-Control").hasSize(1);
        }
    }

    @Test
    void the_api_keeps_its_problem_answers_and_no_page_policy() {
        given().get("/api/v1/environments/nope/timeouts").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("Content-Security-Policy", org.hamcrest.Matchers.nullValue());
        given().get("/nothing-here").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}

package io.timeoutpolicy.platform.hostile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nobody can blind the latency metrics from outside (issue 25): requests refused before a route matched (a foreign
 * Origin, a refused URL) are tagged with one fixed uri, never their raw path, so that hundreds of junk paths do not
 * fill Micrometer's cap of 100 uri tags and the API's own series keep appearing.
 */
@QuarkusTest
class UriTagCapTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void two_hundred_junk_paths_with_a_foreign_origin_leave_room_for_the_api_series() {
        String junk = UUID.randomUUID().toString().substring(0, 8);
        int corsRefusals = 0;
        for (int i = 0; i < 120; i++) {
            for (String path : List.of("/api/v1/junk-" + junk + "-" + i, "/api/v1/environments/" + junk + i + "/timeouts",
                    "/q/junk-" + junk + "-" + i)) {
                int status = given().header("Origin", "http://evil.example").get(path).statusCode();
                assertThat(status).as(path).isIn(403, 404);
                corsRefusals += status == 403 ? 1 : 0;
            }
        }
        System.out.printf("CORS refusals among 360 foreign-origin requests: %d%n", corsRefusals);
        assertThat(corsRefusals).as("requests refused by CORS before any route").isPositive();
        for (int i = 0; i < 60; i++) {
            given().urlEncodingEnabled(false).get("/api/v1/environments/x/metrics?service=" + junk + "%00" + i)
                    .then().statusCode(400);
            given().urlEncodingEnabled(false).get("/api/v1/junk-" + junk + "%0A" + i).then().statusCode(400);
        }
        String environment = TestEnvironments.developmentLike();
        given().get("/api/v1/environments/" + environment + "/timeouts").then().statusCode(200);
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("[" + TestEnvironments.attempt(environment, 1.5, true) + "]").post("/api/v1/attempts")
                .then().statusCode(201);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> requests = metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count")).toList();
        assertThat(requests).anyMatch(l -> l.contains("method=\"GET\"")
                && l.contains("uri=\"/api/v1/environments/{environment}/timeouts\""));
        assertThat(requests).anyMatch(l -> l.contains("method=\"POST\"") && l.contains("uri=\"/api/v1/attempts\""));
        assertThat(requests).anyMatch(l -> l.contains("uri=\"/refused\""));
        assertThat(requests).noneMatch(l -> l.contains(junk));
        long uris = requests.stream().map(l -> l.replaceAll(".*uri=\"([^\"]*)\".*", "$1")).distinct().count();
        System.out.printf("distinct uri tags after 480 junk requests: %d%n", uris);
        assertThat(uris).isLessThan(60);
    }
}

package io.timeoutpolicy.timeouts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.platform.http.DirectTimers;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET …/timeouts and …/startup-config answered by {@link DirectAnswers} must be exactly what Quarkus REST answers for
 * the same request, and every request it does not read plainly must reach Quarkus REST. A route just after it
 * ({@link Beyond}) records which probed requests went on, so each case knows which path answered it.
 */
@QuarkusTest
class DirectAnswersTests {

    static final String PROBE = "X-Test-Probe";
    /** Makes a request go the usual way without changing its answer: Quarkus REST takes any JSON Accept. */
    static final String THE_USUAL_WAY = "application/json;q=0.9";
    static final String TIMEOUTS_COUNT = "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\","
            + "status=\"200\",uri=\"/api/v1/environments/{environment}/timeouts\"} ";

    @Inject
    ObjectMapper mapper;

    @Inject
    Beyond beyond;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    /** Records the probe header of every request that went on past DirectAnswers. */
    @ApplicationScoped
    static class Beyond {
        private final Set<String> reached = ConcurrentHashMap.newKeySet();

        /** A method, not the field: the test holds a client proxy, whose own fields are empty. */
        boolean reached(String probe) {
            return reached.contains(probe);
        }

        void install(@Observes Router router) {
            router.route().order(Integer.MIN_VALUE + 5).handler(context -> {
                String probe = context.request().getHeader(PROBE);
                if (probe != null) {
                    reached.add(probe);
                }
                context.next();
            });
        }
    }

    @Test
    void everyday_requests_are_answered_directly_and_exactly_as_quarkus_rest_answers_them() throws Exception {
        String env = "/api/v1/environments/";
        List<String> urls = List.of(env + "staging/timeouts", env + "STAGING/timeouts",
                env + "staging/timeouts?pressure=vpc_connector_scaling",
                env + "staging/timeouts?pressure=vpc_connector_scaling,cloud_sql_capacity_pressure&operation=connection",
                env + "staging/timeouts?pressure=vpc_connector_scaling&pressure=cloud_sql_capacity_pressure",
                env + "production/timeouts?operation=pool&instance=orders-api-7d9f-1",
                env + "staging/startup-config", env + "production/startup-config?pressure=cloud_sql_capacity_pressure",
                env + "staging/startup-config?instance=orders-api-7d9f-1");
        for (String url : urls) {
            Response direct = probe(url, given(), false);
            Response usual = probe(url, given().accept(THE_USUAL_WAY), true);
            assertSameAnswer(url, direct, usual);
            assertThat(direct.statusCode()).as(url).isEqualTo(200);
        }
        Response direct = probe(env + "staging/timeouts", given().header(TimeoutsResource.INSTANCE_HEADER, "pod-1"), false);
        Response usual = probe(env + "staging/timeouts", given().header(TimeoutsResource.INSTANCE_HEADER, "pod-1")
                .accept(THE_USUAL_WAY), true);
        assertSameAnswer("instance header", direct, usual);
    }

    @Test
    void a_refusal_goes_on_to_quarkus_rest_and_is_its_problem() throws Exception {
        String env = "/api/v1/environments/";
        for (String url : List.of(env + "nowhere/timeouts", env + "staging/timeouts?pressure=no_such_indicator",
                env + "staging/timeouts?operation=no_such_operation", env + "nowhere/startup-config")) {
            Response direct = probe(url, given(), true);
            Response usual = probe(url, given().accept(THE_USUAL_WAY), true);
            assertThat(direct.statusCode()).as(url).isIn(400, 404).isEqualTo(usual.statusCode());
            assertThat(direct.contentType()).as(url).isEqualTo("application/problem+json");
            assertThat(withoutComputedAt(direct)).as(url).isEqualTo(withoutComputedAt(usual));
        }
    }

    @Test
    void what_changes_the_answer_or_needs_the_rest_goes_the_usual_way() {
        String timeouts = "/api/v1/environments/staging/timeouts";
        String startup = "/api/v1/environments/staging/startup-config";
        probe(timeouts, given().header("Origin", "http://localhost:8080"), true);
        probe(timeouts, given().header("X-API-Key", TestApi.REPORTER_KEY), true);
        probe(timeouts, given().accept("text/html"), true);
        probe(timeouts + "?instance=a%2Fb", given(), true);
        probe(timeouts + "?instance=", given(), true);
        probe(timeouts + "?instance=a&instance=b", given(), true);
        probe(timeouts + "?unknown=1", given(), true);
        probe(startup + "?operation=connection", given(), true);
        probe(startup, given().header("If-None-Match", "W/\"1\""), true);
        probe("/api/v1/environments/staging/extra/timeouts", given(), true);
    }

    @Test
    void direct_answers_are_counted_in_the_http_metrics_under_their_route_template() {
        double before = timeoutsCount();
        for (int i = 0; i < 7; i++) {
            probe("/api/v1/environments/staging/timeouts", given(), false);
        }
        probe("/api/v1/environments/staging/timeouts", given().accept(THE_USUAL_WAY), true);
        // One series for both paths (DirectTimers records into the binder's), with its SLO buckets, and no series
        // for the marker that makes the binder leave a direct answer alone.
        assertThat(timeoutsCount()).isEqualTo(before + 8);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain(DirectTimers.TIMED_HERE)
                .contains("http_server_requests_seconds_bucket{method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
                        + "uri=\"/api/v1/environments/{environment}/timeouts\",le=\"0.05\"} ");
    }

    @Test
    void the_environment_is_the_one_segment_between_prefix_and_suffix() {
        assertThat(DirectAnswers.environment("/api/v1/environments/staging/timeouts", "/timeouts")).isEqualTo("staging");
        assertThat(DirectAnswers.environment("/api/v1/environments//timeouts", "/timeouts")).isNull();
        assertThat(DirectAnswers.environment("/api/v1/environments/timeouts", "/timeouts")).isNull();
        assertThat(DirectAnswers.environment("/api/v1/environments/a/b/timeouts", "/timeouts")).isNull();
        assertThat(DirectAnswers.environment("/api/v2/environments/a/timeouts", "/timeouts")).isNull();
        assertThat(DirectAnswers.Query.of("pressure=a&pressure=b,c&instance=x", true))
                .isEqualTo(new DirectAnswers.Query(List.of("a", "b,c"), null, "x"));
        assertThat(DirectAnswers.Query.of("operation=pool", false)).isNull();
        assertThat(DirectAnswers.Query.of("operation=pool&operation=pool", true)).isNull();
        assertThat(DirectAnswers.Query.of("pressure=a+b", true)).isNull();
        assertThat(DirectAnswers.Query.of("pressure", true)).isNull();
        assertThat(DirectAnswers.Query.of("", true)).isEqualTo(new DirectAnswers.Query(List.of(), null, null));
    }

    /** Sends a probed GET and checks that it went on past DirectAnswers exactly when {@code usual}. */
    private Response probe(String url, RequestSpecification request, boolean usual) {
        String id = UUID.randomUUID().toString();
        Response response = request.header(PROBE, id).urlEncodingEnabled(false).get(url);
        assertThat(beyond.reached(id)).as("%s went the usual way", url).isEqualTo(usual);
        return response;
    }

    private void assertSameAnswer(String what, Response direct, Response usual) throws Exception {
        assertThat(direct.statusCode()).as(what).isEqualTo(usual.statusCode());
        for (String header : List.of("Content-Type", "ETag", "X-Content-Type-Options")) {
            assertThat(direct.header(header)).as(what + " " + header).isEqualTo(usual.header(header));
        }
        assertThat(direct.header("X-Request-Id")).as(what).isNotBlank();
        assertThat(withoutComputedAt(direct)).as(what).isEqualTo(withoutComputedAt(usual));
    }

    /** The answer with its computed_at (the moment of each answer) taken out, wherever it is. */
    private ObjectNode withoutComputedAt(Response response) throws Exception {
        ObjectNode body = (ObjectNode) mapper.readTree(response.asString());
        body.remove("computed_at");
        body.remove("instance");
        if (body.get("timeouts") instanceof ObjectNode timeouts) {
            timeouts.remove("computed_at");
        }
        return body;
    }

    private static double timeoutsCount() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher count = Pattern.compile(Pattern.quote(TIMEOUTS_COUNT) + "([0-9.E]+)").matcher(metrics);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }
}

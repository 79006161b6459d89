package io.timeoutpolicy.platform.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestEnvironments;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint that takes input × every kind of hostile input (SPEC 5; issue 25): NUL, control characters, lone
 * surrogates, 10 KB strings, {@code null} items, empty and missing bodies, wrong and missing media types, in bodies
 * and in URLs. Each is answered with a 4xx problem, writes nothing (counted in PostgreSQL with plain JDBC), and the
 * next valid request on the same endpoint succeeds and is not degraded: no breaker opened, nothing held.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileEndpointsTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hostile strings as JSON string literals, by name. */
    private static final List<String[]> TEXTS = List.of(
            new String[] {"NUL", "\"a\\u0000b\""},
            new String[] {"CR LF (a forged log line)", "\"a\\r\\n12:00:00 INFO forged\""},
            new String[] {"ESC (a terminal sequence)", "\"\\u001b[31mred\""},
            new String[] {"C1 control NEL", "\"a\\u0085b\""},
            new String[] {"lone high surrogate", "\"a\\ud800\""},
            new String[] {"lone low surrogate", "\"\\udc00b\""},
            new String[] {"10 KB string", "\"" + "x".repeat(10 * 1024) + "\""});

    @TestHTTPResource("/")
    URI root;

    private HostileClient client;
    private String environment;
    private long started;
    private int cases;

    @BeforeAll
    void prepare() {
        TestApi.configure();
        started = System.nanoTime();
    }

    /** The environment every case writes to (made at the first case: the application is up by then). */
    @org.junit.jupiter.api.BeforeEach
    void environment() {
        if (environment == null) {
            client = new HostileClient(root);
            environment = TestEnvironments.developmentLike();
        }
    }

    @AfterAll
    void report() {
        System.out.printf("Hostile endpoints: %d cases in %d ms%n", cases, (System.nanoTime() - started) / 1_000_000);
    }

    /** An endpoint with a body: how to fill it with one hostile text, and its valid twin. */
    enum Endpoint {
        ATTEMPTS("POST", "/api/v1/attempts", TestApi.REPORTER_KEY),
        DECISIONS("POST", "/api/v1/bypass-decisions", TestApi.DEPLOYER_KEY),
        SIMULATE("POST", "/api/v1/environments/%s/simulate", null),
        POLICY("PUT", "/api/v1/environments/%s/policy", TestApi.OPERATOR_KEY);

        final String method;
        final String path;
        final String key;

        Endpoint(String method, String path, String key) {
            this.method = method;
            this.path = path;
            this.key = key;
        }

        /** The body with {@code text} (a JSON value) in a text field, and {@code item} as a second array item. */
        String body(String environment, String text, String item) {
            return switch (this) {
                case ATTEMPTS -> "[" + TestEnvironments.attempt(environment, 1.5, true) + ", {\"environment\": \""
                        + environment + "\", \"operation\": \"connection\", \"duration_seconds\": 1.0, \"success\":"
                        + " true, \"service\": " + text + "}" + (item == null ? "" : ", " + item) + "]";
                case DECISIONS -> "{\"environment\": \"" + environment + "\", \"critical_failures\": 0,"
                        + " \"failure_types\": [\"database_timeout\"" + (item == null ? "" : ", " + item) + "],"
                        + " \"service\": \"orders\", \"deployment\": " + text + ", \"requested_by\": \"ci\"}";
                case SIMULATE -> "{\"timeouts\": {\"connection_timeout\": 10.0}, \"window\": " + text
                        + (item == null ? "" : ", \"extra\": [" + item + "]") + "}";
                case POLICY -> "{\"cloud_sql\": false, \"base_timeouts\": " + TestEnvironments.DEVELOPMENT_BASES
                        + ", \"bypass\": {\"infrastructure_failure_types\": [" + text
                        + (item == null ? "" : ", " + item) + "]}}";
            };
        }

        String validBody(String environment) {
            return switch (this) {
                case ATTEMPTS -> "[" + TestEnvironments.attempt(environment, 1.5, true) + "]";
                case DECISIONS -> "{\"environment\": \"" + environment + "\", \"critical_failures\": 0,"
                        + " \"service\": \"orders\", \"deployment\": \"orders-1\", \"requested_by\": \"ci\"}";
                case SIMULATE -> "{\"timeouts\": {\"connection_timeout\": 10.0}}";
                case POLICY -> "{\"cloud_sql\": false, \"base_timeouts\": " + TestEnvironments.DEVELOPMENT_BASES + "}";
            };
        }

        /** Where a request goes: a policy PUT creates a fresh environment, so that a refusal is visible as none. */
        String target(String environment, String fresh) {
            return String.format(path, this == POLICY ? fresh : environment);
        }

        int validStatus() {
            return this == SIMULATE ? 200 : 201;
        }
    }

    /** One hostile request: endpoint, name, body (null: none at all), Content-Type (null: none), expected status. */
    record Case(Endpoint endpoint, String name, String body, String contentType, int status) {
        @Override
        public String toString() {
            return endpoint + " with " + name;
        }
    }

    Stream<Arguments> bodies() {
        String env = "%ENV%";
        List<Arguments> all = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (String[] text : TEXTS) {
                all.add(Arguments.of(new Case(endpoint, text[0] + " in a text field",
                        endpoint.body(env, text[1], null), "application/json", 400)));
            }
            String valid = "\"orders\"";
            all.add(Arguments.of(new Case(endpoint, "a null item in an array", endpoint == Endpoint.SIMULATE
                    ? "[null]" : endpoint.body(env, valid, "null"), "application/json", 400)));
            all.add(Arguments.of(new Case(endpoint, "a NUL in a field name",
                    endpoint.body(env, valid, null).replaceFirst("\\{\"", "{\"x\\\\u0000y\": 1, \""),
                    "application/json", 400)));
            all.add(Arguments.of(new Case(endpoint, "JSON null", "null", "application/json", 400)));
            all.add(Arguments.of(new Case(endpoint, "an empty body", "", "application/json", 400)));
            all.add(Arguments.of(new Case(endpoint, "no body at all", null, "application/json", 400)));
            all.add(Arguments.of(new Case(endpoint, "a text/plain body", endpoint.validBody(env), "text/plain", 415)));
            all.add(Arguments.of(new Case(endpoint, "no Content-Type", endpoint.validBody(env), null, 415)));
            all.add(Arguments.of(new Case(endpoint, "a form body", "a=1", "application/x-www-form-urlencoded", 415)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void a_hostile_body_is_a_4xx_problem_writes_nothing_and_harms_no_later_request(Case hostile) throws Exception {
        cases++;
        String fresh = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        long[] before = rows(environment, fresh);
        String body = hostile.body() == null ? null : hostile.body().replace("%ENV%", environment);

        HostileClient.Answer answer = client.send(hostile.endpoint().method, hostile.endpoint().target(environment, fresh),
                hostile.endpoint().key, hostile.contentType(), body);

        assertThat(answer.status()).as(hostile + ": " + answer.body()).isEqualTo(hostile.status());
        assertProblem(answer, hostile.status());
        assertThat(rows(environment, fresh)).as(hostile + ": rows of attempts, decisions, alerts, policies")
                .containsExactly(before);
        assertNextValidRequestSucceeds(hostile.endpoint());
    }

    Stream<Arguments> urls() {
        String[][] parameters = {
                {"/api/v1/bypass-decisions?service=", null},
                {"/api/v1/bypass-decisions?deployment=", null},
                {"/api/v1/environments/{env}/metrics?service=", null},
                {"/api/v1/environments/{env}/timeouts?pressure=", null},
                {"/api/v1/environments/{env}/startup-config?pressure=", null},
                {"/api/v1/alerts?environment=", null},
                {"/api/v1/environments/", "/policy"}};
        String[][] values = {{"NUL", "a%00b"}, {"CR LF", "a%0D%0AINFO%20forged"}, {"ESC", "%1B%5B31m"},
                {"DEL", "a%7F"}, {"C1 NEL", "a%C2%85"}};
        List<Arguments> all = new ArrayList<>();
        for (String[] parameter : parameters) {
            for (String[] value : values) {
                all.add(Arguments.of(parameter[0] + "<" + value[0] + ">" + (parameter[1] == null ? "" : parameter[1]),
                        parameter[0] + value[1] + (parameter[1] == null ? "" : parameter[1])));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void a_hostile_url_is_a_400_problem_and_opens_no_breaker(String name, String url) throws Exception {
        cases++;
        String path = url.replace("{env}", environment);
        // Twelve in a row: had one reached the database, the breaker of its query would now be open.
        for (int i = 0; i < 12; i++) {
            HostileClient.Answer answer = client.send("GET", path, null, null, null);
            assertThat(answer.status()).as(name + ": " + answer.body()).isEqualTo(400);
            assertProblem(answer, 400);
        }
        assertThat(client.send("GET", "/api/v1/bypass-decisions?service=orders", null, null, null).status())
                .isEqualTo(200);
        assertThat(client.send("GET", "/api/v1/environments/" + environment + "/metrics?service=orders", null, null,
                null).status()).isEqualTo(200);
    }

    private void assertProblem(HostileClient.Answer answer, int status) throws Exception {
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\\u0000").doesNotContain("\tat ");
    }

    private void assertNextValidRequestSucceeds(Endpoint endpoint) throws Exception {
        String fresh = "valid-" + UUID.randomUUID().toString().substring(0, 8);
        HostileClient.Answer answer = client.send(endpoint.method, endpoint.target(environment, fresh), endpoint.key,
                "application/json", endpoint.validBody(environment));
        assertThat(answer.status()).as("the next valid request: " + answer.body()).isEqualTo(endpoint.validStatus());
        JsonNode body = JSON.readTree(answer.body());
        if (endpoint == Endpoint.DECISIONS) {
            assertThat(body.get("degraded").asBoolean()).isFalse();
        }
        JsonNode timeouts = JSON.readTree(client.send("GET", "/api/v1/environments/" + environment + "/timeouts",
                null, null, null).body());
        assertThat(timeouts.get("degraded").asBoolean()).as("degraded after the hostile request").isFalse();
    }

    /** Rows of the environment in every table, and versions of the environment a refused PUT would have created. */
    private static long[] rows(String environment, String fresh) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            return new long[] {
                    count(connection, "SELECT count(*) FROM attempts WHERE environment = ?", environment),
                    count(connection, "SELECT count(*) FROM bypass_decisions WHERE environment = ?", environment),
                    count(connection, "SELECT count(*) FROM alerts WHERE environment = ?", environment),
                    count(connection, "SELECT count(*) FROM policy_versions WHERE environment = ?", environment),
                    count(connection, "SELECT count(*) FROM policy_versions WHERE environment = ?", fresh)};
        }
    }

    private static long count(Connection connection, String sql, String environment) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, environment);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}

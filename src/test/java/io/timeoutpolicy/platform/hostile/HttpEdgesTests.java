package io.timeoutpolicy.platform.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.PeerTools;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP layer's own edges (issue 25, item 5): bodies that are empty in a way only the transport can say, requests
 * refused before any route, and the headers every API answer carries. Each is a problem document, answered at once.
 */
@QuarkusTest
class HttpEdgesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/attempts", "/api/v1/bypass-decisions", "/api/v1/environments/development/simulate"})
    void an_empty_chunked_body_is_a_400_problem_at_once(String path) throws Exception {
        String key = path.contains("attempts") ? TestApi.REPORTER_KEY : TestApi.DEPLOYER_KEY;
        long start = System.nanoTime();
        HostileClient.Answer answer = new HostileClient(root).exchange(HostileClient.head("POST", path, key,
                "application/json") + "Transfer-Encoding: chunked\r\n\r\n", "0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(JSON.readTree(answer.body()).get("detail").asText()).contains("no body");
        System.out.printf("empty chunked body on %s answered in %d ms%n", path, millis);
        assertThat(millis).as("answered at once, not after a timeout").isLessThan(5_000);
    }

    @Test
    void a_request_without_host_is_a_400_problem() throws Exception {
        HostileClient.Answer answer = new HostileClient(root).exchange(
                "GET /api/v1/environments HTTP/1.1\r\nConnection: close\r\n\r\n", new byte[0]);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("detail").asText()).isEqualTo("An HTTP/1.1 request needs a Host header");
    }

    @Test
    void headers_over_the_limit_are_a_431_problem() throws Exception {
        HostileClient.Answer answer = new HostileClient(root).exchange(HostileClient.head("GET",
                "/api/v1/environments", null, null) + "X-Padding: " + "a".repeat(30_000) + "\r\n\r\n", new byte[0]);

        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:timeout-policy:problem:headers-too-large");
        assertThat(problem.get("detail").asText()).endsWith("the limit is 20480");
    }

    @Test
    void api_answers_and_problems_tell_browsers_not_to_sniff() throws Exception {
        HostileClient client = new HostileClient(root);
        for (String path : List.of("/api/v1/environments", "/api/v1/environments/nope/timeouts",
                "/api/v1/bypass-decisions?service=a%00b", "/q/health/live")) {
            HostileClient.Answer answer = client.send("GET", path, null, null, null);
            assertThat(answer.header("x-content-type-options")).as(path).isEqualTo("nosniff");
        }
    }

    /** HTTP/2 without TLS (prior knowledge), as curl speaks it: bodies without a content-length. */
    @Test
    void over_http2_a_write_without_a_body_is_a_400_problem_and_one_without_a_length_is_read() throws Exception {
        PeerTools.require("curl", "apt-get install -y curl");
        String environment = TestEnvironments.developmentLike();
        String[] empty = curl("-X", "POST", root.resolve("/api/v1/attempts").toString());
        assertThat(empty[0]).startsWith("400 2 application/problem+json");
        assertThat(JSON.readTree(empty[1]).get("detail").asText()).contains("no body");

        String[] chunked = curl("-H", "Transfer-Encoding: chunked", "--data-binary",
                "[" + TestEnvironments.attempt(environment, 1.5, true) + "]", root.resolve("/api/v1/attempts").toString());
        assertThat(chunked[0]).as(chunked[1]).startsWith("201 2 application/json");
        assertThat(JSON.readTree(chunked[1]).get("recorded").asInt()).isEqualTo(1);

        String[] put = curl("-X", "PUT", root.resolve("/api/v1/environments/" + environment + "/policy").toString());
        assertThat(put[0]).startsWith("400 2 application/problem+json");
    }

    private static String[] curl(String... arguments) throws Exception {
        Path answer = Files.createTempFile("answer", ".json");
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "-m", "20", "--http2-prior-knowledge",
                "-H", "Content-Type: application/json", "-H", "X-API-Key: " + TestApi.ALL_ROLES_KEY, "-H",
                "If-Match: \"1\"", "-o", answer.toString(), "-w", "%{http_code} %{http_version} %{content_type}"));
        command.addAll(List.of(arguments));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String written = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String[] {written, Files.readString(answer)};
    }
}

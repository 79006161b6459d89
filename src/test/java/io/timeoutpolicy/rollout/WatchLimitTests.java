package io.timeoutpolicy.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.timeouts.WatchConfig;
import io.timeoutpolicy.timeouts.Watches;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 10.4: held requests are bounded per replica; one more is a 503 with Retry-After. */
@QuarkusTest
@TestProfile(WatchLimitTests.TwoWatches.class)
class WatchLimitTests {

    public static class TwoWatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("timeout-policy.watch.max-held", "2", "timeout-policy.watch.retry-after", "7s");
        }
    }

    @Inject
    Watches watches;

    @Inject
    WatchConfig config;

    @TestHTTPResource("/api/v1/environments/development/startup-config")
    URI startupConfig;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void beyond_max_held_a_watch_is_refused_with_503_and_retry_after() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest held = HttpRequest.newBuilder(startupConfig).header("If-None-Match", "W/\"1\"")
                .header("Prefer", "wait=3").build();
        List<CompletableFuture<HttpResponse<Void>>> two = List.of(
                http.sendAsync(held, HttpResponse.BodyHandlers.discarding()),
                http.sendAsync(held, HttpResponse.BodyHandlers.discarding()));
        for (int i = 0; i < 100 && watches.held() < 2; i++) {
            Thread.sleep(50);
        }
        assertThat(watches.held()).isEqualTo(2);
        assertThat(config.maxHeld()).isEqualTo(2);

        HttpResponse<String> refused = http.send(held, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("7");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        // An unconditional request is never held, so never refused.
        given().get("/api/v1/environments/development/startup-config").then().statusCode(200);
        for (CompletableFuture<HttpResponse<Void>> answer : two) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(304);
        }
        given().header("If-None-Match", "W/\"1\"").header("Prefer", "wait=1")
                .get("/api/v1/environments/development/startup-config").then().statusCode(304);
    }
}

package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** startupConfig when the service cannot answer: each within the budget, from the cache, else the defaults. */
class FallbackTest {

    static final Duration BUDGET = Duration.ofSeconds(2);
    /** Beyond the budget is thread scheduling on a loaded 2-core machine. */
    static final Duration SLACK = Duration.ofMillis(500);
    private static final StringBuilder TIMINGS = new StringBuilder();

    private Path cacheDir;
    private StartupConfig served;

    @BeforeEach
    void a_cache_written_by_the_running_service() throws Exception {
        cacheDir = Files.createTempDirectory("timeout-policy-java-test-");
        try (TimeoutPolicyClient client = client(ServiceJar.get().url, cacheDir)) {
            served = client.startupConfig("staging");
        }
        assertThat(served.source()).isEqualTo(Source.SERVICE);
        assertThat(Files.exists(cacheDir.resolve("staging.json"))).isTrue();
    }

    @AfterAll
    static void print_timings() {
        System.out.println("Measured (budget " + BUDGET.toMillis() + " ms):\n" + TIMINGS);
    }

    @Test
    void a_stopped_service_answers_from_the_cache_then_the_defaults() throws Exception {
        String url = StandIns.closedPort();
        assertCached(ask("stopped (closed port), cached", url, cacheDir), "connection refused");
        assertDefaults(ask("stopped (closed port), no cache", url, Files.createTempDirectory("empty-")));
    }

    @Test
    void a_hanging_service_answers_from_the_cache_at_the_budget() throws Exception {
        try (StandIns.Hanging hanging = new StandIns.Hanging()) {
            long started = System.nanoTime();
            assertCached(ask("hanging (accepts, never answers), cached", hanging.url, cacheDir), null);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(BUDGET.minusMillis(50));
            assertDefaults(ask("hanging, no cache", hanging.url, Files.createTempDirectory("empty-")));
        }
    }

    @Test
    void a_500_answers_from_the_cache_then_the_defaults() throws Exception {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"boom\"}";
        try (StandIns.Answering failing = new StandIns.Answering(500, "application/problem+json", problem)) {
            assertCached(ask("answering 500, cached", failing.url, cacheDir), "HTTP 500: boom");
            assertDefaults(ask("answering 500, no cache", failing.url, Files.createTempDirectory("empty-")));
        }
    }

    @Test
    void a_404_page_of_a_proxy_is_an_outage_not_an_unknown_environment() throws Exception {
        try (StandIns.Answering ingress = new StandIns.Answering(404, "text/html", "<html>Not Found</html>")) {
            assertCached(ask("answering 404 (HTML from an ingress), cached", ingress.url, cacheDir), null);
        }
    }

    @Test
    void malformed_json_answers_from_the_cache_then_the_defaults() throws Exception {
        try (StandIns.Answering broken = new StandIns.Answering(200, "application/json",
                "{\"environment\": \"staging\", \"timeouts\": {")) {
            StartupConfig config = ask("malformed JSON, cached", broken.url, cacheDir);
            assertCached(config, null);
            assertThat(config.error()).startsWith("unexpected answer");
            assertDefaults(ask("malformed JSON, no cache", broken.url, Files.createTempDirectory("empty-")));
        }
    }

    @Test
    void json_of_another_shape_answers_from_the_cache() throws Exception {
        String answer = ServiceJar.get().get("/api/v1/environments/staging/startup-config").body();
        String renamed = answer.replace("\"connection_timeout\"", "\"connect_timeout\"");
        try (StandIns.Answering odd = new StandIns.Answering(200, "application/json", renamed)) {
            assertCached(ask("a renamed field, cached", odd.url, cacheDir), null);
        }
    }

    @Test
    void no_url_answers_from_the_cache_without_waiting() throws Exception {
        long started = System.nanoTime();
        try (TimeoutPolicyClient client = TimeoutPolicyClient.builder().baseUrl("").cacheDir(cacheDir).build()) {
            assertThat(client.startupConfig("staging").source()).isEqualTo(Source.CACHE);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SLACK);
    }

    @Test
    void an_environment_spec_3_does_not_know_needs_its_cache_or_a_fallback() throws Exception {
        String environment = ServiceJar.get().newEnvironment();
        try (TimeoutPolicyClient client = client(ServiceJar.get().url, cacheDir)) {
            assertThat(client.startupConfig(environment).source()).isEqualTo(Source.SERVICE);
        }
        try (TimeoutPolicyClient stopped = client(StandIns.closedPort(), cacheDir);
                TimeoutPolicyClient empty = client(StandIns.closedPort(), Files.createTempDirectory("empty-"))) {
            StartupConfig cached = stopped.startupConfig(environment);
            assertThat(cached.source()).isEqualTo(Source.CACHE);
            assertThat(cached.timeouts().connectionTimeout()).isEqualTo(15.0);
            assertThatThrownBy(() -> empty.startupConfig(environment))
                    .isInstanceOf(TimeoutPolicyException.UnknownEnvironment.class);
            StartupConfig given = empty.startupConfig(environment, java.util.List.of(),
                    new Fallback(new Timeouts(25, 12, 15, 25, 8), false));
            assertThat(given.source()).isEqualTo(Source.DEFAULTS);
            assertThat(given.retry()).isEqualTo(new Retry(3, 1.0, 10.0, 2.0, true));
        }
    }

    @Test
    void the_service_itself_saying_unknown_environment_throws() throws Exception {
        try (TimeoutPolicyClient client = client(ServiceJar.get().url, cacheDir)) {
            assertThatThrownBy(() -> client.startupConfig("nowhere"))
                    .isInstanceOf(TimeoutPolicyException.UnknownEnvironment.class);
        }
    }

    private StartupConfig ask(String label, String url, Path cache) {
        try (TimeoutPolicyClient client = client(url, cache)) {
            long started = System.nanoTime();
            StartupConfig config = client.startupConfig("staging");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            TIMINGS.append(String.format("  %-50s %6d ms%n", label, elapsed.toMillis()));
            assertThat(elapsed).as(label).isLessThan(BUDGET.plus(SLACK));
            assertThat(config.degraded()).isTrue();
            assertThat(config.error()).isNotNull();
            return config;
        }
    }

    private void assertCached(StartupConfig config, String error) {
        assertThat(config.source()).isEqualTo(Source.CACHE);
        assertThat(config.timeouts()).isEqualTo(served.timeouts());
        assertThat(config.retry()).isEqualTo(served.retry());
        assertThat(config.explanations()).isEqualTo(served.explanations()).hasSize(5);
        assertThat(config.policyVersion()).isEqualTo(served.policyVersion());
        assertThat(config.cacheAgeSeconds()).isBetween(0.0, 60.0);
        if (error != null) {
            assertThat(config.error()).isEqualTo(error);
        }
    }

    private static void assertDefaults(StartupConfig config) {
        assertThat(config.source()).isEqualTo(Source.DEFAULTS);
        assertThat(config.timeouts().connectionTimeout()).isEqualTo(90.0);
        assertThat(config.baseTimeouts().connectionTimeout()).isEqualTo(75.0);
        assertThat(config.cacheAgeSeconds()).isNull();
        assertThat(config.policyVersion()).isNull();
    }

    static TimeoutPolicyClient client(String url, Path cache) {
        return TimeoutPolicyClient.builder().baseUrl(url).apiKey(ServiceJar.KEY).cacheDir(cache)
                .flushAtShutdown(false).build();
    }
}

package io.timeoutpolicy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in the production profile serves the dashboard: the page to a browser's Accept header,
 * its modules and chart.js from the webjar, all from the service itself, with readers open.
 */
class DashboardIT {

    private static final String DATABASE = "timeout_policy_dashboard_it";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_production_jar_serves_the_dashboard_at_the_root() throws Exception {
        TestDatabase.recreate(DATABASE);
        try (PackagedJar service = PackagedJar.start("dashboard-it", PackagedJar.localDatabase(DATABASE))) {
            HttpResponse<String> page = get(service.url("/"),
                    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
            assertThat(page.body()).contains("<script type=\"module\" src=\"/dashboard/main.js\"></script>")
                    .doesNotContain("http://").doesNotContain("https://");

            HttpResponse<String> chart = get(service.url("/webjars/chart.js/dist/chart.umd.js"), "*/*");
            assertThat(chart.statusCode()).isEqualTo(200);
            assertThat(chart.body()).contains("Chart.js v4.5.1");
            assertThat(get(service.url("/dashboard/main.js"), "*/*").statusCode()).isEqualTo(200);
            // What the page reads first is open to readers in production (no key configured).
            assertThat(get(service.url("/api/v1/environments"), "application/json").body()).contains("\"staging\"");
        }
    }

    private HttpResponse<String> get(String url, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

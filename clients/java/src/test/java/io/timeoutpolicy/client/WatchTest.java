package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.timeoutpolicy.client.live.Rollout;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The client's background watch (SPEC 10.4) against the packaged service behind a stand-in proxy that can fail
 * every watch (500 to a request with {@code Prefer: wait}) while plain requests pass: the client falls back to
 * polling, still learns of a promotion, watches again once watches work, and stops at close.
 */
class WatchTest {

    /** Forwards to the service; answers 500 to watches while {@code failWatches}. */
    static final class Proxy implements AutoCloseable {
        final HttpServer server;
        final String url;
        final AtomicBoolean failWatches = new AtomicBoolean(true);
        final AtomicInteger watches = new AtomicInteger();
        final AtomicInteger plain = new AtomicInteger();
        final Set<String> instances = ConcurrentHashMap.newKeySet();
        private final HttpClient http = HttpClient.newHttpClient();

        Proxy(String target) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean watch = exchange.getRequestHeaders().containsKey("Prefer");
                if (exchange.getRequestURI().getPath().endsWith("/startup-config")) {
                    (watch ? watches : plain).incrementAndGet();
                    instances.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Timeout-Policy-Instance")));
                }
                int status;
                String type;
                byte[] answer;
                if (watch && failWatches.get()) {
                    status = 500;
                    type = "application/problem+json";
                    answer = "{\"status\": 500, \"detail\": \"stand-in\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                    exchange.getRequestHeaders().forEach((name, values) -> {
                        if (Set.of("authorization", "content-type", "if-none-match", "prefer",
                                "x-timeout-policy-instance").contains(name.toLowerCase())) {
                            values.forEach(v -> forward.header(name, v));
                        }
                    });
                    try {
                        HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                        status = response.statusCode();
                        type = response.headers().firstValue("Content-Type").orElse("application/json");
                        answer = response.body();
                    } catch (Exception e) {
                        status = 502;
                        type = "text/plain";
                        answer = e.toString().getBytes(StandardCharsets.UTF_8);
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", type);
                exchange.sendResponseHeaders(status, status == 304 ? -1 : answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    if (status != 304) {
                        out.write(answer);
                    }
                }
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void failing_watches_fall_back_to_polling_and_resume_and_the_applied_version_is_reported() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 5.0, 4.0, 1.5, "");
        BlockingQueue<StartupConfig> changes = new LinkedBlockingQueue<>();
        try (Proxy proxy = new Proxy(ServiceJar.get().url);
                TimeoutPolicyClient client = TimeoutPolicyClient.builder().baseUrl(proxy.url).apiKey(ServiceJar.KEY)
                        .instance("watch-test:1").cacheDir(Files.createTempDirectory("tp-watch-"))
                        .watch(Duration.ofSeconds(60), 3, Duration.ofMillis(300), 4).build()) {
            assertThat(client.startupConfig(environment).policyVersion()).isEqualTo(1);
            client.watch(environment, changes::add);
            waitFor(() -> client.watchStats(environment).polling(), Duration.ofSeconds(5));
            assertThat(proxy.watches.get()).as("3 failed watches, then polls").isEqualTo(3);
            assertThat(client.watchStats(environment).failures()).isEqualTo(3);

            Rollout.promote(environment, Rollout.candidate(environment, 1,
                    Rollout.policy(environment, 2.0, 1.0, 0.5), "{\"mode\": \"shadow\"}"));
            StartupConfig promoted = changes.poll(3, TimeUnit.SECONDS);
            assertThat(promoted).as("learnt by polling").isNotNull();
            assertThat(promoted.policyVersion()).isEqualTo(2);
            assertThat(promoted.source()).isEqualTo(Source.SERVICE);
            assertThat(promoted.timeouts().poolTimeout()).isEqualTo(1.0);
            assertThat(proxy.plain.get()).isGreaterThanOrEqualTo(2); // the start-up ask and at least one poll

            proxy.failWatches.set(false);
            waitFor(() -> proxy.watches.get() > 3, Duration.ofSeconds(5)); // a watch tried again after 4 polls
            assertThat(client.watchStats(environment).polling()).as("until the held watch answers").isTrue();
            // a 100 % canary: this instance's version changes, the held watch answers, the client watches again
            int canary = Rollout.candidate(environment, 2, Rollout.policy(environment, 2.0, 3.0, 0.5),
                    "{\"mode\": \"canary\", \"percent\": 100}");
            StartupConfig assigned = changes.poll(3, TimeUnit.SECONDS);
            assertThat(assigned).isNotNull();
            assertThat(assigned.policyVersion()).isEqualTo(canary);
            waitFor(() -> !client.watchStats(environment).polling(), Duration.ofSeconds(2));

            // the version applied goes with every report
            client.report("connection", Duration.ofMillis(12), true);
            assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(ServiceJar.get().attemptsJson(environment)).contains("\"policy_version\":" + canary + ",");
            assertThat(proxy.instances).containsExactly("watch-test:1");

            client.close();
            int after = proxy.watches.get() + proxy.plain.get();
            Thread.sleep(700);
            assertThat(proxy.watches.get() + proxy.plain.get()).as("no request after close").isEqualTo(after);
            assertThat(changes).isEmpty();
        }
    }

    static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}

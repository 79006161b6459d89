package io.timeoutpolicy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.timeoutpolicy.TestApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shrunken outage soak, as a new user would try it: clients post batches for seconds while the database
 * is cut twice. Every answer is 201, 202 or 503 with Retry-After, every acknowledged attempt is stored once,
 * and the pool logs no ERROR.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class OutageSoakTests {

    private static final int CLIENTS = 4;
    private static final int BATCH = 20;
    private static final Duration SOAK = Duration.ofSeconds(15);
    private static final Duration CUT = Duration.ofSeconds(3);

    @TestHTTPResource("/api/v1/attempts")
    URI attempts;

    @AfterEach
    void restore() {
        FaultProxyResource.proxy.pass();
    }

    @Test
    void clients_posting_through_two_cuts_get_only_201_202_or_503_and_every_acknowledged_attempt_is_stored_once()
            throws Exception {
        Outages.healthy();
        ErrorLog errors = ErrorLog.install();
        String service = "soak-" + UUID.randomUUID();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> wrong = new CopyOnWriteArrayList<>();
        Instant end = Instant.now().plus(SOAK);
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            pool.submit(() -> post(client, service, end, statuses, acknowledged, wrong));
        }
        Thread.sleep(3_000);
        FaultProxyResource.proxy.cut();
        Thread.sleep(CUT.toMillis());
        FaultProxyResource.proxy.pass();
        Thread.sleep(3_000);
        FaultProxyResource.proxy.cut();
        Thread.sleep(CUT.toMillis());
        FaultProxyResource.proxy.pass();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(wrong).as("answers other than 201, 202 or 503 with Retry-After").isEmpty();
        assertThat(statuses.keySet()).as("the soak saw the outage").contains(202);
        Outages.awaitCount("SELECT count(*) FROM attempts WHERE service = ?", service, acknowledged.size(),
                Duration.ofSeconds(30));
        assertThat(Outages.count("SELECT count(DISTINCT id) FROM attempts WHERE service = ?", service))
                .isEqualTo(acknowledged.size());
        errors.uninstall();
        Log.infof("Soak: answers %s; %d attempts acknowledged, as many stored", statuses, acknowledged.size());
        assertThat(errors.records()).as("ERROR lines logged during the soak").isEmpty();
    }

    private void post(HttpClient client, String service, Instant end, Map<Integer, AtomicInteger> statuses,
            Set<String> acknowledged, List<String> wrong) {
        while (Instant.now().isBefore(end)) {
            List<String> ids = new ArrayList<>();
            String body = Outages.batch(service, BATCH, ids);
            try {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(attempts)
                        .header("Content-Type", "application/json").header("X-API-Key", TestApi.REPORTER_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = answer.statusCode();
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                if (status == 201 || status == 202) {
                    acknowledged.addAll(ids);
                } else if (status != 503 || answer.headers().firstValue("Retry-After").isEmpty()) {
                    wrong.add(status + " " + answer.body());
                }
            } catch (Exception e) {
                wrong.add(e.toString());
            }
        }
    }

    /** ERROR records of the service's own logging, for as long as it is installed. */
    static final class ErrorLog extends Handler {

        private final List<String> records = new CopyOnWriteArrayList<>();

        static ErrorLog install() {
            ErrorLog log = new ErrorLog();
            Logger.getLogger("").addHandler(log);
            return log;
        }

        void uninstall() {
            Logger.getLogger("").removeHandler(this);
        }

        List<String> records() {
            return records;
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                records.add(record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}

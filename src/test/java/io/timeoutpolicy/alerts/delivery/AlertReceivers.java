package io.timeoutpolicy.alerts.delivery;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.timeoutpolicy.MovableClock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The receivers the delivery tests post to: a real Alertmanager, a signed {@code json} webhook and a
 * {@code slack} one on one local server, and a {@code json} webhook that the tests make fail. Short timeouts
 * and backoffs, so that recovery takes seconds. The profile and the test class are loaded by different class
 * loaders, so the ports are agreed through system properties and the test starts the receivers itself.
 */
public class AlertReceivers implements QuarkusTestProfile {

    static final String SECRET = "test-delivery-secret";

    static int port(String receiver) {
        String key = "timeout-policy.test.delivery." + receiver + ".port";
        synchronized (System.class) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, Integer.toString(Webhook.freePort()));
            }
        }
        return Integer.parseInt(System.getProperty(key));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        receiver(config, "alertmanager", "http://127.0.0.1:" + port("alertmanager") + "/api/v2/alerts",
                "alertmanager");
        receiver(config, "signed", "http://127.0.0.1:" + port("hooks") + "/signed", "json");
        config.put("timeout-policy.alerts.receivers.signed.secret", SECRET);
        receiver(config, "chat", "http://127.0.0.1:" + port("hooks") + "/chat", "slack");
        config.put("timeout-policy.alerts.receivers.chat.min-level", "critical");
        receiver(config, "flaky", "http://127.0.0.1:" + port("flaky") + "/flaky", "json");
        config.put("timeout-policy.alerts.delivery.timeout", "500ms");
        config.put("timeout-policy.alerts.delivery.initial-backoff", "100ms");
        config.put("timeout-policy.alerts.delivery.max-backoff", "400ms");
        config.put("timeout-policy.alerts.delivery.circuit-breaker.delay", "1s");
        config.put("timeout-policy.alerts.delivery.dashboard-url", "http://dashboard.test/");
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MovableClock.class);
    }

    private static void receiver(Map<String, String> config, String name, String url, String format) {
        config.put("timeout-policy.alerts.receivers." + name + ".url", url);
        config.put("timeout-policy.alerts.receivers." + name + ".format", format);
    }
}

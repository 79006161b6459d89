package io.timeoutpolicy.client.hikari;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.client.ServiceJar;
import io.timeoutpolicy.client.integration.IntegrationSettings;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The packaged service, an integration pointed at it, and what the service wrote to its history. */
final class Fleet {

    static final String SERVICE = "orders-api";
    static final String INSTANCE = "orders-api-7d9f:4242";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fleet() {
    }

    static IntegrationSettings settings(String url, String environment) throws Exception {
        return IntegrationSettings.from(name -> null).withUrl(url).withEnvironment(environment)
                .withKey(ServiceJar.KEY).withService(SERVICE).withInstance(INSTANCE)
                .withCacheDir(Files.createTempDirectory("tp-cache-"));
    }

    static TimeoutPolicyIntegration integration(String environment) throws Exception {
        return TimeoutPolicyIntegration.of(settings(ServiceJar.get().url, environment));
    }

    /** The environment's attempts in the service's database (after the integration flushed), oldest first. */
    static List<JsonNode> history(String environment) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(ServiceJar.get().attemptsJson(environment)).forEach(rows::add);
        return rows;
    }

    static List<JsonNode> history(String environment, String operation) throws Exception {
        return history(environment).stream().filter(r -> r.get("operation").asText().equals(operation)).toList();
    }
}

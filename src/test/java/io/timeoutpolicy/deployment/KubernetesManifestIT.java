package io.timeoutpolicy.deployment;

import static io.timeoutpolicy.deployment.Manifests.duration;
import static io.timeoutpolicy.deployment.Manifests.mebibytes;
import static io.timeoutpolicy.deployment.Manifests.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests quarkus-kubernetes generated at package time (target/kubernetes/kubernetes.yml): every object
 * a fleet deployment needs, with the sizes and timings the service's own settings and measurements call for.
 */
class KubernetesManifestIT {

    private static final String NAME = "timeout-policy-service";
    /** Resident memory measured with 10 M attempts in the window and a 1 GiB heap (BENCHMARKS.md). */
    private static final long MEASURED_RSS_MIB = 1056;

    private static List<JsonNode> documents;
    private static Properties defaults;

    @BeforeAll
    static void read() throws Exception {
        documents = Manifests.documents(Path.of("target/kubernetes/kubernetes.yml"));
        defaults = Manifests.applicationProperties();
    }

    @Test
    void the_deployment_runs_two_replicas_that_roll_without_ever_being_fewer() {
        JsonNode spec = object(documents, "Deployment", NAME).path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(2);
        assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asText()).isEqualTo("0");
        assertThat(spec.path("selector").path("matchLabels").has("app.kubernetes.io/version"))
                .as("old and new versions serve together during an upgrade").isFalse();
    }

    @Test
    void probes_ask_smallrye_health_and_readiness_lets_go_within_the_shutdown_delay() {
        JsonNode container = container();
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/ready");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/started");
        JsonNode readiness = container.path("readinessProbe");
        Duration noticed = Duration.ofSeconds(
                (long) readiness.path("periodSeconds").asInt() * readiness.path("failureThreshold").asInt());
        assertThat(noticed).as("a DOWN readiness is noticed before the shutdown delay ends")
                .isLessThan(duration(defaults, "quarkus.shutdown.delay"));
        JsonNode startup = container.path("startupProbe");
        assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
                .as("seconds the startup probe allows").isGreaterThanOrEqualTo(30);
    }

    @Test
    void memory_requests_and_limits_cover_the_measured_resident_memory() {
        JsonNode resources = container().path("resources");
        long requested = mebibytes(resources.path("requests").path("memory").asText());
        long limit = mebibytes(resources.path("limits").path("memory").asText());
        assertThat(requested).isGreaterThan(MEASURED_RSS_MIB).isLessThanOrEqualTo(limit);
        assertThat(resources.path("requests").path("cpu").asText()).isNotEmpty();
    }

    @Test
    void the_grace_period_outlasts_the_shutdown_delay_the_drain_and_the_buffers() {
        Duration shutdown = Stream.of("quarkus.shutdown.delay", "quarkus.shutdown.timeout",
                "timeout-policy.recording.write-behind.shutdown-wait", "timeout-policy.bypass.write-behind.shutdown-wait",
                "timeout-policy.alerts.write-behind.shutdown-wait")
                .map(key -> duration(defaults, key)).reduce(Duration.ZERO, Duration::plus);
        int grace = object(documents, "Deployment", NAME).path("spec").path("template").path("spec")
                .path("terminationGracePeriodSeconds").asInt();
        assertThat(Duration.ofSeconds(grace)).isGreaterThan(shutdown);
    }

    @Test
    void secrets_come_from_a_secret_and_every_other_setting_from_the_config_map() {
        JsonNode container = container();
        List<String> secrets = new ArrayList<>();
        List<String> configMaps = new ArrayList<>();
        container.path("envFrom").forEach(from -> {
            if (from.has("secretRef")) {
                secrets.add(from.path("secretRef").path("name").asText());
            }
            if (from.has("configMapRef")) {
                configMaps.add(from.path("configMapRef").path("name").asText());
            }
        });
        assertThat(secrets).containsExactly("timeout-policy-secrets");
        assertThat(configMaps).containsExactly("timeout-policy-config");
        container.path("env").forEach(env -> assertThat(env.path("name").asText())
                .as("no secret as a plain env value").doesNotContain("PASSWORD").doesNotContain("SHA256"));

        JsonNode data = object(documents, "ConfigMap", "timeout-policy-config").path("data");
        assertThat(data.path("LOG_JSON").asText()).isEqualTo("true");
        assertThat(data.has("DB_HOST")).isTrue();
        data.fieldNames().forEachRemaining(variable -> {
            assertThat(variable).doesNotContain("PASSWORD").doesNotContain("KEYS");
            assertThat(ServiceVariables.reads(variable)).as(variable + " is read by the service").isTrue();
        });
    }

    @Test
    void the_service_selects_the_pods_of_every_version_on_the_http_port() {
        JsonNode service = object(documents, "Service", NAME).path("spec");
        assertThat(service.path("selector").has("app.kubernetes.io/version")).isFalse();
        assertThat(podLabels().path(service.path("selector").fieldNames().next()).isMissingNode()).isFalse();
        assertThat(service.path("ports").get(0).path("targetPort").asInt())
                .isEqualTo(container().path("ports").get(0).path("containerPort").asInt());
    }

    @Test
    void an_autoscaler_and_a_disruption_budget_keep_at_least_one_replica_serving() {
        JsonNode autoscaler = object(documents, "HorizontalPodAutoscaler", NAME).path("spec");
        assertThat(autoscaler.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
        assertThat(autoscaler.path("scaleTargetRef").path("name").asText()).isEqualTo(NAME);
        assertThat(autoscaler.path("minReplicas").asInt()).isEqualTo(2);
        assertThat(autoscaler.path("maxReplicas").asInt()).isGreaterThan(2);

        JsonNode budget = object(documents, "PodDisruptionBudget", NAME).path("spec");
        assertThat(budget.path("minAvailable").asInt()).isEqualTo(1);
        budget.path("selector").path("matchLabels").fields().forEachRemaining(label ->
                assertThat(podLabels().path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
    }

    private static JsonNode container() {
        return object(documents, "Deployment", NAME).path("spec").path("template").path("spec").path("containers")
                .get(0);
    }

    private static JsonNode podLabels() {
        return object(documents, "Deployment", NAME).path("spec").path("template").path("metadata").path("labels");
    }
}

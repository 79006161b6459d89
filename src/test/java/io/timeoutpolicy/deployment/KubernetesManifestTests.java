package io.timeoutpolicy.deployment;

import static io.timeoutpolicy.deployment.Manifests.duration;
import static io.timeoutpolicy.deployment.Manifests.mebibytes;
import static io.timeoutpolicy.deployment.Manifests.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kustomize base in deploy/kubernetes, written by hand, as {@code kubectl kustomize} builds it: every object a
 * fleet deployment needs, with the sizes and timings the service's settings and measurements call for, and a pod
 * that a namespace enforcing Pod Security "restricted" admits. {@link KubernetesSchemaTests} validates the same
 * output against the Kubernetes API schemas.
 */
class KubernetesManifestTests {

    private static final String NAME = "timeout-policy-service";
    /** Resident memory measured with 10 M attempts in the window and a 1 GiB heap (BENCHMARKS.md). */
    private static final long MEASURED_RSS_MIB = 1056;
    private static final String JOURNAL = "/var/lib/timeout-policy/journal";

    private static List<JsonNode> documents;
    private static Properties defaults;

    @BeforeAll
    static void read() throws Exception {
        documents = Kustomize.build(Kustomize.BASE);
        defaults = Manifests.applicationProperties();
    }

    @Test
    void the_deployment_runs_two_replicas_that_roll_without_ever_being_fewer() {
        JsonNode spec = deployment().path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(2);
        assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asText()).isEqualTo("0");
        assertThat(spec.path("selector").path("matchLabels").path("app.kubernetes.io/name").asText()).isEqualTo(NAME);
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
        int grace = podSpec().path("terminationGracePeriodSeconds").asInt();
        assertThat(Duration.ofSeconds(grace)).isGreaterThan(shutdown);
    }

    @Test
    void secrets_come_from_a_secret_and_every_other_setting_from_the_generated_config_map() {
        List<String> secrets = new ArrayList<>();
        List<String> configMaps = new ArrayList<>();
        container().path("envFrom").forEach(from -> {
            if (from.has("secretRef")) {
                secrets.add(from.path("secretRef").path("name").asText());
            }
            if (from.has("configMapRef")) {
                configMaps.add(from.path("configMapRef").path("name").asText());
            }
        });
        assertThat(secrets).containsExactly("timeout-policy-secrets");
        JsonNode configMap = kind("ConfigMap");
        assertThat(configMaps).as("the generated name, hash included").containsExactly(name(configMap));
        container().path("env").forEach(env -> {
            assertThat(env.path("name").asText()).as("no secret as a plain env value").doesNotContain("PASSWORD")
                    .doesNotContain("SHA256");
            assertThat(ServiceVariables.reads(env.path("name").asText())).as(env.path("name") + " is read by the service")
                    .isTrue();
        });

        JsonNode data = configMap.path("data");
        assertThat(data.path("LOG_JSON").asText()).isEqualTo("true");
        assertThat(data.has("DB_HOST")).isTrue();
        data.fieldNames().forEachRemaining(variable -> {
            assertThat(variable).doesNotContain("PASSWORD").doesNotContain("KEYS");
            assertThat(ServiceVariables.reads(variable)).as(variable + " is read by the service").isTrue();
        });
    }

    @Test
    void a_configuration_change_renames_the_config_map_so_the_pods_roll() throws Exception {
        String before = name(kind("ConfigMap"));
        assertThat(before).as("generated with a content hash").matches("timeout-policy-config-[a-z0-9]{10}");
        Path copy = Files.createTempDirectory("kustomize-base");
        try (Stream<Path> files = Files.list(Kustomize.BASE)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.writeString(copy.resolve("config.env"),
                Files.readString(copy.resolve("config.env")).replace("DB_POOL_SIZE=20", "DB_POOL_SIZE=10"));
        List<JsonNode> changed = Kustomize.build(copy);
        String after = name(object(changed, "ConfigMap", null));
        assertThat(after).startsWith("timeout-policy-config-").isNotEqualTo(before);
        JsonNode template = object(changed, "Deployment", NAME).path("spec").path("template");
        assertThat(template.toString()).as("the pod template names the new ConfigMap, so it changes")
                .contains(after).doesNotContain(before);
    }

    @Test
    void the_pod_meets_pod_security_restricted_and_writes_only_to_its_volumes() {
        JsonNode pod = podSpec().path("securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asInt()).as("the image's user").isEqualTo(1001);
        assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            assertThat(podSpec().path(field).asBoolean(false)).as(field).isFalse();
        }
        podSpec().path("volumes").forEach(volume -> assertThat(volume.has("hostPath")).as("no hostPath").isFalse());

        JsonNode container = container().path("securityContext");
        assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.path("privileged").asBoolean(false)).isFalse();
        assertThat(container.path("capabilities").path("drop")).extracting(JsonNode::asText).containsExactly("ALL");
        assertThat(container.path("capabilities").has("add")).isFalse();
        assertThat(container.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container().path("ports").get(0).has("hostPort")).isFalse();

        assertThat(mountedEmptyDir("/tmp")).as("the JVM's temporary files").isTrue();
        assertThat(mountedEmptyDir(JOURNAL)).as("the local journal").isTrue();
        assertThat(container().path("env")).anySatisfy(env -> {
            assertThat(env.path("name").asText()).isEqualTo("TIMEOUT_POLICY_JOURNAL_DIR");
            assertThat(env.path("value").asText()).isEqualTo(JOURNAL);
        });
    }

    @Test
    void every_object_is_labelled_and_the_pod_template_carries_no_build_stamp() {
        assertThat(documents).extracting(d -> d.path("kind").asText()).containsExactlyInAnyOrder("ConfigMap",
                "Service", "Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler", "PrometheusRule");
        for (JsonNode document : documents) {
            JsonNode labels = document.path("metadata").path("labels");
            assertThat(labels.path("app.kubernetes.io/name").asText()).as(document.path("kind").asText()).isEqualTo(NAME);
            assertThat(labels.path("app.kubernetes.io/part-of").asText()).as(document.path("kind").asText())
                    .isEqualTo("timeout-policy");
        }
        JsonNode template = deployment().path("spec").path("template").path("metadata");
        assertThat(template.path("labels").path("app.kubernetes.io/name").asText()).isEqualTo(NAME);
        assertThat(template.toString()).as("nothing that changes with every build")
                .doesNotContain("timestamp").doesNotContain("app.quarkus.io").doesNotContain("commit-id");
        assertThat(container().path("image").asText()).as("a tag, set by the overlay's images:")
                .isEqualTo("timeout-policy/timeout-policy-service:1.0.0-SNAPSHOT");
    }

    @Test
    void replicas_spread_over_nodes_and_zones() {
        JsonNode constraints = podSpec().path("topologySpreadConstraints");
        assertThat(constraints).extracting(c -> c.path("topologyKey").asText())
                .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        JsonNode podLabels = deployment().path("spec").path("template").path("metadata").path("labels");
        constraints.forEach(constraint -> {
            assertThat(constraint.path("maxSkew").asInt()).isEqualTo(1);
            constraint.path("labelSelector").path("matchLabels").fields().forEachRemaining(label ->
                    assertThat(podLabels.path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
        });
        assertThat(constraints.get(0).path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
    }

    @Test
    void the_service_selects_the_pods_of_every_version_on_the_http_port() {
        JsonNode service = object(documents, "Service", NAME).path("spec");
        assertThat(service.path("selector").has("app.kubernetes.io/version")).isFalse();
        JsonNode podLabels = deployment().path("spec").path("template").path("metadata").path("labels");
        service.path("selector").fields().forEachRemaining(label ->
                assertThat(podLabels.path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
        assertThat(service.path("selector").size()).isPositive();
        assertThat(service.path("ports").get(0).path("targetPort").asText())
                .isEqualTo(container().path("ports").get(0).path("name").asText());
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
        JsonNode podLabels = deployment().path("spec").path("template").path("metadata").path("labels");
        assertThat(budget.path("selector").path("matchLabels").size()).isPositive();
        budget.path("selector").path("matchLabels").fields().forEachRemaining(label ->
                assertThat(podLabels.path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
    }

    @Test
    void the_prometheus_rule_holds_exactly_the_groups_of_deploy_prometheus() throws Exception {
        JsonNode rules = Manifests.documents(Path.of("deploy/prometheus/timeout-policy-rules.yml")).get(0);
        assertThat(object(documents, "PrometheusRule", NAME).path("spec").path("groups"))
                .isEqualTo(rules.path("groups"));
    }

    @Test
    void the_example_overlay_sets_namespace_image_and_replicas_in_a_restricted_namespace() throws Exception {
        List<JsonNode> overlay = Kustomize.build(Kustomize.EXAMPLE);
        JsonNode namespace = object(overlay, "Namespace", "timeout-policy");
        assertThat(namespace.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText())
                .isEqualTo("restricted");
        overlay.stream().filter(d -> !"Namespace".equals(d.path("kind").asText())).forEach(d ->
                assertThat(d.path("metadata").path("namespace").asText()).as(d.path("kind").asText())
                        .isEqualTo("timeout-policy"));
        JsonNode spec = object(overlay, "Deployment", NAME).path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(3);
        assertThat(spec.path("template").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("registry.example.internal/platform/timeout-policy-service:1.0.0");
        assertThat(object(overlay, "HorizontalPodAutoscaler", NAME).path("spec").path("minReplicas").asInt())
                .isEqualTo(3);
        JsonNode data = object(overlay, "ConfigMap", null).path("data");
        assertThat(data.path("DB_HOST").asText()).isEqualTo("postgres.databases.svc.cluster.local");
        assertThat(data.path("LOG_JSON").asText()).as("kept from the base").isEqualTo("true");
    }

    private static boolean mountedEmptyDir(String path) {
        for (JsonNode mount : container().path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                for (JsonNode volume : podSpec().path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText())) {
                        return volume.has("emptyDir") && !mount.path("readOnly").asBoolean(false);
                    }
                }
            }
        }
        return false;
    }

    private static JsonNode kind(String kind) {
        return object(documents, kind, null);
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static JsonNode deployment() {
        return object(documents, "Deployment", NAME);
    }

    private static JsonNode podSpec() {
        return deployment().path("spec").path("template").path("spec");
    }

    private static JsonNode container() {
        return podSpec().path("containers").get(0);
    }
}

package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine here, so this checks what can be checked without one, after the build: the
 * paths the Dockerfile copies exist, its health check really answers on the port in PORT, and every variable
 * the compose file sets is one the service reads.
 */
class DockerFilesIT {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");
    private static final Path COMPOSE = Path.of("docker/compose.yml");
    private static final Pattern COPY_FROM_BUILD = Pattern.compile("^COPY --from=build (?:--chown=\\S+ )?/build/(\\S+)",
            Pattern.MULTILINE);
    private static final Pattern COPY_FROM_CONTEXT = Pattern.compile("^COPY (?!--from)((?:\\S+ )+)\\S+$",
            Pattern.MULTILINE);

    @Test
    void the_build_stage_packages_without_tests_and_the_run_stage_copies_what_the_build_made() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).containsPattern("RUN .*\\./mvnw -B package -DskipTests");
        Matcher copied = COPY_FROM_BUILD.matcher(dockerfile);
        int copies = 0;
        while (copied.find()) {
            assertThat(Path.of(copied.group(1))).as("built by ./mvnw package").exists();
            copies++;
        }
        assertThat(copies).isGreaterThanOrEqualTo(4);

        List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
        assertThat(ignored).contains("target/", ".git/");
        Matcher context = COPY_FROM_CONTEXT.matcher(dockerfile);
        int sources = 0;
        while (context.find()) {
            sources++;
            for (String source : context.group(1).trim().split(" ")) {
                assertThat(Path.of(source)).as("in the build context").exists();
                assertThat(ignored).as(source + " is not ignored").noneMatch(source::startsWith);
            }
        }
        assertThat(sources).as("COPY instructions from the build context").isEqualTo(3);
    }

    @Test
    void the_image_keeps_its_container_defaults_beside_your_flags_and_logs_json() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:MaxRAMPercentage=75")
                .contains("LOG_JSON=true").contains("JAVA_OPTS_APPEND=\"\"");
        assertThat(entrypoint(dockerfile)).contains("exec java").contains("$JAVA_OPTS $JAVA_OPTS_APPEND");
    }

    @Test
    void the_journal_is_a_volume_the_service_user_writes_and_compose_keeps_it() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        String dir = "/var/lib/timeout-policy/journal";
        assertThat(dockerfile).contains("TIMEOUT_POLICY_JOURNAL_DIR=" + dir).contains("VOLUME " + dir)
                .containsPattern("RUN mkdir -p " + dir + " && chown -R 1001 ");
        assertThat(dockerfile.indexOf("chown -R 1001 /var/lib/timeout-policy")).as("created before USER 1001")
                .isLessThan(dockerfile.indexOf("USER 1001"));
        assertThat(Files.readString(COMPOSE)).contains("- journal:" + dir);
    }

    @Test
    void the_health_check_follows_port() throws Exception {
        String command = healthCheck(Files.readString(DOCKERFILE));
        TestDatabase.recreate("timeout_policy_docker_it");
        try (PackagedJar jar = PackagedJar.start("docker-health",
                PackagedJar.localDatabase("timeout_policy_docker_it"))) {
            String port = String.valueOf(java.net.URI.create(jar.url("/")).getPort());
            assertThat(run(command, port)).as("health check on PORT=" + port).isZero();
            assertThat(run(command, "1")).as("health check on a port nothing listens on").isNotZero();
        }
    }

    @Test
    void every_variable_compose_sets_is_read_by_the_service_and_the_demo_key_matches_its_hash() throws Exception {
        JsonNode service = Manifests.documents(COMPOSE).get(0).path("services").path("timeout-policy");
        JsonNode environment = service.path("environment");
        environment.fieldNames().forEachRemaining(variable ->
                assertThat(ServiceVariables.reads(variable)).as(variable + " is read by the service").isTrue());
        assertThat(environment.path("LOG_JSON").asText()).isEqualTo("true");
        assertThat(environment.has("JAVA_OPTS_APPEND")).isTrue();
        assertThat(service.path("ports").get(0).asText()).endsWith(":" + environment.path("PORT").asText());

        Matcher key = Pattern.compile("the key is (\\S+)").matcher(Files.readString(COMPOSE));
        assertThat(key.find()).as("the demo key is written in a comment").isTrue();
        assertThat(environment.path("TIMEOUT_POLICY_SECURITY_KEYS_DEMO_SHA256").asText())
                .isEqualTo(PackagedJar.sha256(key.group(1)));
        assertThat(environment.path("TIMEOUT_POLICY_SECURITY_KEYS_DEMO_ROLES").asText()).isNotEmpty();
    }

    private static String entrypoint(String dockerfile) {
        return dockerfile.lines().filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    }

    /** The command of the HEALTHCHECK instruction (its continuation line), as the image's bash runs it. */
    private static String healthCheck(String dockerfile) {
        Matcher command = Pattern.compile("HEALTHCHECK [^\\n]*\\\\\\n\\s*CMD bash -c '(.*)'").matcher(dockerfile);
        assertThat(command.find()).as("a bash health check").isTrue();
        return command.group(1);
    }

    private static int run(String command, String port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        builder.environment().put("PORT", port);
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

}

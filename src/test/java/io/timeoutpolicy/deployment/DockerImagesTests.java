package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every base image the Docker files name is pinned: by digest, or by a tag that names an exact release (a floating
 * tag such as {@code 17-jre} or {@code 15} moves under the same name, so two builds of one commit could differ).
 */
class DockerImagesTests {

    private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern IMAGE = Pattern.compile("^\\s+image:\\s+(\\S+)", Pattern.MULTILINE);
    /** name:tag where the tag holds a version with at least major.minor, or name@sha256:digest. */
    private static final Pattern PINNED = Pattern.compile("[^:@]+(:[^@]*\\d+\\.\\d+[^@]*|(:[^@]+)?@sha256:[0-9a-f]{64})");

    @Test
    void every_base_image_is_pinned_by_exact_tag_or_digest() throws Exception {
        List<String> images = new ArrayList<>();
        collect(FROM, Files.readString(Path.of("docker/Dockerfile")), images);
        collect(IMAGE, Files.readString(Path.of("docker/compose.yml")), images);
        assertThat(images).hasSize(3);
        assertThat(images).allSatisfy(image -> assertThat(image).as("pinned").matches(PINNED));
        assertThat("eclipse-temurin:17-jre").as("a floating tag is refused").doesNotMatch(PINNED);
        assertThat("postgres:15").doesNotMatch(PINNED);
        assertThat("postgres@sha256:" + "a".repeat(64)).matches(PINNED);
    }

    private static void collect(Pattern pattern, String text, List<String> images) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            images.add(matcher.group(1));
        }
    }
}

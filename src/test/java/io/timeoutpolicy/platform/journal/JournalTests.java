package io.timeoutpolicy.platform.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal file: replayed in order minus what was acknowledged, torn tails skipped and counted, kept small. */
class JournalTests {

    @TempDir
    Path dir;

    @Test
    void items_appended_are_replayed_in_order_after_a_reopen() {
        Path file = dir.resolve("a.journal");
        try (Journal journal = Journal.open(file)) {
            journal.append(items("a", "b")).join();
            journal.append(items("c")).join();
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(texts(journal.replayed().items())).containsExactly("a", "b", "c");
            assertThat(journal.replayed().torn()).isZero();
        }
    }

    @Test
    void acknowledged_items_are_not_replayed() {
        Path file = dir.resolve("a.journal");
        try (Journal journal = Journal.open(file)) {
            journal.append(items("a", "b", "c")).join();
            journal.acknowledge(2);
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(texts(journal.replayed().items())).containsExactly("c");
            journal.append(items("d")).join();
            journal.acknowledge(1);
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(texts(journal.replayed().items())).containsExactly("d");
        }
    }

    @Test
    void once_everything_is_acknowledged_the_file_is_emptied() throws Exception {
        Path file = dir.resolve("a.journal");
        try (Journal journal = Journal.open(file)) {
            journal.append(items("a", "b")).join();
            assertThat(Files.size(file)).isPositive();
            journal.acknowledge(2);
            journal.append(List.of()).join();
            assertThat(Files.size(file)).isZero();
        }
    }

    @Test
    void a_torn_last_record_is_skipped_and_counted_and_the_earlier_ones_kept() throws Exception {
        Path file = dir.resolve("a.journal");
        try (Journal journal = Journal.open(file)) {
            journal.append(items("first", "second")).join();
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(raw.length() - 3);
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(texts(journal.replayed().items())).containsExactly("first");
            assertThat(journal.replayed().torn()).isEqualTo(1);
            journal.append(items("third")).join();
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(texts(journal.replayed().items())).as("new records never follow a torn one")
                    .containsExactly("first", "third");
            assertThat(journal.replayed().torn()).isZero();
        }
    }

    @Test
    void a_record_whose_checksum_fails_ends_the_readable_part() throws Exception {
        Path file = dir.resolve("a.journal");
        try (Journal journal = Journal.open(file)) {
            journal.append(items("first", "second")).join();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(file, bytes);
        try (Journal journal = Journal.open(file)) {
            assertThat(texts(journal.replayed().items())).containsExactly("first");
            assertThat(journal.replayed().torn()).isEqualTo(1);
        }
    }

    @Test
    void concurrent_appends_are_all_on_disk_when_answered() throws Exception {
        Path file = dir.resolve("a.journal");
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        try (Journal journal = Journal.open(file)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread appender = new Thread(() -> {
                    for (int i = 0; i < 250; i++) {
                        CompletableFuture<Void> answer = journal.append(items(thread + "-" + i));
                        synchronized (answers) {
                            answers.add(answer);
                        }
                    }
                });
                appender.start();
                threads.add(appender);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        }
        try (Journal journal = Journal.open(file)) {
            assertThat(journal.replayed().items()).hasSize(1000);
        }
    }

    private static List<byte[]> items(String... texts) {
        return java.util.Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<String> texts(List<byte[]> items) {
        return items.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
}

package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watch's rules, counted not timed: the exchange is a scripted stand-in of the HTTP exchange (its answers
 * are whatever the script says), the pauses are tiny. What a watch and a poll are is checked by the wait asked.
 */
class WatcherTest {

    private static final Watcher.Settings FAST = new Watcher.Settings(Duration.ofSeconds(60),
            new Backoff(Duration.ofMillis(2), Duration.ofMillis(8)), 5, Duration.ofMillis(2), 3);

    /** Answers from a script: "fail", "same", or a version number (a change). */
    static final class Script implements Watcher.Exchange {
        final List<String> steps;
        final List<String> asked = new CopyOnWriteArrayList<>();
        final AtomicInteger at = new AtomicInteger();

        Script(String... steps) {
            this.steps = List.of(steps);
        }

        @Override
        public StartupConfig ask(String environment, Integer known, Duration wait) throws BudgetedHttp.NoAnswer {
            int i = at.getAndIncrement();
            String step = i < steps.size() ? steps.get(i) : "park";
            if (step.equals("park")) {
                try {
                    Thread.sleep(60_000); // a held watch; interrupted at close
                } catch (InterruptedException e) {
                    throw new BudgetedHttp.NoAnswer("interrupted");
                }
            }
            asked.add((wait.isZero() ? "poll" : "watch") + ":" + step);
            if (step.equals("fail")) {
                throw new BudgetedHttp.NoAnswer("HTTP 500");
            }
            if (step.equals("same")) {
                if (!wait.isZero()) {
                    try {
                        Thread.sleep(Watcher.NOT_HELD.toMillis() + 50); // held, then 304
                    } catch (InterruptedException e) {
                        throw new BudgetedHttp.NoAnswer("interrupted");
                    }
                }
                return null;
            }
            StartupConfig defaults = Defaults.startupConfig("staging", List.of(), "test", null);
            return new StartupConfig("staging", Integer.valueOf(step), false, Source.SERVICE, defaults.timeouts(),
                    defaults.baseTimeouts(), defaults.explanations(), defaults.strategy(), false, 0, List.of(),
                    null, defaults.retry(), defaults.pool(), defaults.circuit(), null, null);
        }
    }

    private static List<String> run(Script script, int steps, List<Integer> delivered) throws Exception {
        try (Watcher watcher = new Watcher("staging", 1, script, FAST)) {
            watcher.add(c -> delivered.add(c.policyVersion()));
            watcher.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (script.at.get() <= steps && System.nanoTime() < deadline) { // next ask began: last one handled
                Thread.sleep(1);
            }
        }
        return script.asked.subList(0, Math.min(steps, script.asked.size()));
    }

    @Test
    void four_failures_keep_watching_the_fifth_turns_to_polling() throws Exception {
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        Script script = new Script("fail", "fail", "fail", "fail", "2");
        assertThat(run(script, 5, delivered)).containsExactly("watch:fail", "watch:fail", "watch:fail", "watch:fail",
                "watch:2");
        assertThat(delivered).containsExactly(2);

        Script five = new Script("fail", "fail", "fail", "fail", "fail", "same", "3", "same", "4");
        assertThat(run(five, 9, delivered)).containsExactly("watch:fail", "watch:fail", "watch:fail", "watch:fail",
                "watch:fail", "poll:same", "poll:3", "poll:same", "watch:4");
        assertThat(delivered).as("each new version once").containsExactly(2, 3, 4);
    }

    @Test
    void a_failed_watch_after_polls_goes_back_to_polling_and_a_quick_unchanged_answer_is_a_failure() throws Exception {
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        Script script = new Script("fail", "fail", "fail", "fail", "fail", "same", "same", "same", "fail", "same",
                "same", "same", "same");
        assertThat(run(script, 13, delivered)).containsExactly("watch:fail", "watch:fail", "watch:fail",
                "watch:fail", "watch:fail", "poll:same", "poll:same", "poll:same", "watch:fail", "poll:same",
                "poll:same", "poll:same", "watch:same");
        assertThat(delivered).isEmpty();
    }

    @Test
    void the_pause_is_jittered_between_half_and_all_of_it() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Watcher.jittered(Duration.ofMillis(1000)).toMillis()).isBetween(500L, 1000L);
        }
    }
}

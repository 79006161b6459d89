package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One environment's service names: interned once each up to the cap (cap − 1, cap, cap + 1), held untracked
 * beyond it and said to be so, and forgotten exactly when their newest attempt leaves the window.
 */
class ServiceNamesTests {

    private static final int CAP = 3;

    private final AtomicInteger ids = new AtomicInteger(1);
    private final ServiceNames names = new ServiceNames(CAP, ids);

    @Test
    void a_name_is_one_id_and_no_name_is_no_service() {
        int orders = names.idOf("orders-api", 100);
        assertThat(orders).isPositive();
        assertThat(names.idOf("orders-api", 50)).isEqualTo(orders);
        assertThat(names.idOf(null, 100)).isEqualTo(ServiceNames.NO_SERVICE);
        assertThat(names.lookup("orders-api")).isEqualTo(orders);
        assertThat(names.lookup("billing")).isEqualTo(-1);
        assertThat(names.size()).isEqualTo(1);
    }

    @Test
    void names_up_to_the_cap_are_tracked_and_the_next_one_is_not() {
        assertThat(names.idOf("a", 10)).isPositive();
        assertThat(names.idOf("b", 10)).isPositive();
        assertThat(names.size()).isEqualTo(CAP - 1);
        assertThat(names.maybeUntracked("a", 0)).isFalse();

        assertThat(names.idOf("c", 10)).isPositive(); // the cap-th name
        assertThat(names.size()).isEqualTo(CAP);
        assertThat(names.maybeUntracked("c", 0)).isFalse();

        assertThat(names.idOf("d", 10)).isEqualTo(ServiceNames.UNTRACKED); // cap + 1
        assertThat(names.size()).isEqualTo(CAP);
        assertThat(names.lookup("d")).isEqualTo(-1);
        assertThat(names.maybeUntracked("d", 9)).isTrue();
        // Only attempts after the window's start count: an untracked attempt at 10 is outside (10, …).
        assertThat(names.maybeUntracked("d", 10)).isFalse();
        // Names already held keep their ids at the cap.
        assertThat(names.idOf("a", 20)).isEqualTo(names.lookup("a"));
    }

    @Test
    void untracked_names_are_told_apart_by_slot_only() {
        for (String n : new String[] {"a", "b", "c"}) {
            names.idOf(n, 10);
        }
        names.idOf("d", 10);
        assertThat(names.maybeUntracked("d", 0)).isTrue();
        assertThat(names.maybeUntracked("a", 0)).isEqualTo(sameSlot("a", "d"));
    }

    @Test
    void a_name_expires_when_its_newest_attempt_leaves_the_window_not_before() {
        int a = names.idOf("a", 1_000);
        names.idOf("a", 400); // back-dated: the newest stays 1 000
        names.idOf("b", 999);

        // Cut-off at 1 000: attempts at 1 000 are still held (the series keep at >= cut-off), so is "a".
        assertThat(names.expire(1_000)).isEqualTo(1);
        assertThat(names.lookup("a")).isEqualTo(a);
        assertThat(names.lookup("b")).isEqualTo(-1);
        assertThat(names.size()).isEqualTo(1);

        // One microsecond later, nothing refers to "a" any more.
        assertThat(names.expire(1_001)).isEqualTo(1);
        assertThat(names.lookup("a")).isEqualTo(-1);
        assertThat(names.size()).isZero();
    }

    @Test
    void an_expired_name_comes_back_under_a_new_id_and_frees_its_place_under_the_cap() {
        int a = names.idOf("a", 10);
        names.idOf("b", 10);
        names.idOf("c", 10);
        assertThat(names.idOf("d", 10)).isEqualTo(ServiceNames.UNTRACKED);

        names.expire(11);
        int d = names.idOf("d", 20);
        assertThat(d).isPositive();
        int again = names.idOf("a", 20);
        // Never the old id: an attempt that outlived the name somewhere is never taken for another name's.
        assertThat(again).isPositive().isNotEqualTo(a).isNotEqualTo(d);
    }

    @Test
    void ids_are_shared_by_every_environment_and_never_given_twice() {
        ServiceNames other = new ServiceNames(CAP, ids);
        int here = names.idOf("orders-api", 10);
        int there = other.idOf("orders-api", 10);
        assertThat(there).isNotEqualTo(here);
    }

    @Test
    void once_the_ids_run_out_new_names_are_untracked() {
        ServiceNames full = new ServiceNames(CAP, new AtomicInteger(Integer.MAX_VALUE - 1));
        assertThat(full.idOf("a", 10)).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(full.idOf("b", 10)).isEqualTo(ServiceNames.UNTRACKED);
        assertThat(full.size()).isEqualTo(1);
    }

    private static boolean sameSlot(String x, String y) {
        ServiceNames probe = new ServiceNames(0, new AtomicInteger(1));
        probe.idOf(y, 10);
        return probe.maybeUntracked(x, 0);
    }
}

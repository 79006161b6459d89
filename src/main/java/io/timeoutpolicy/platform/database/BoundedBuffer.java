package io.timeoutpolicy.platform.database;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * A bounded first-in first-out buffer for writes that wait for the database (SPEC 7): a group of items is
 * accepted whole or not at all, taken in order, and put back in front when writing them failed. Items taken and
 * not yet written still count against the capacity, so a batch put back never makes it hold more.
 */
public final class BoundedBuffer<T> {

    private final Deque<T> items = new ArrayDeque<>();
    private final int capacity;
    /** Taken for writing, neither written nor put back yet. */
    private int inFlight;

    public BoundedBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Accepts all of {@code group}, or none when it does not fit. */
    public synchronized boolean offer(Collection<? extends T> group) {
        if (items.size() + inFlight + group.size() > capacity) {
            return false;
        }
        items.addAll(group);
        return true;
    }

    /** Puts back what a journal held at start-up, whatever the capacity: nothing acknowledged is dropped. */
    public synchronized void restore(Collection<? extends T> group) {
        items.addAll(group);
    }

    /** Removes and answers up to {@code max} of the oldest items; they count until written or put back. */
    public synchronized List<T> take(int max) {
        List<T> taken = new ArrayList<>(Math.min(max, items.size()));
        while (taken.size() < max && !items.isEmpty()) {
            taken.add(items.pollFirst());
        }
        inFlight += taken.size();
        return taken;
    }

    /** Returns items that could not be written to the front, in their order. */
    public synchronized void putBack(List<T> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            items.addFirst(group.get(i));
        }
        inFlight -= group.size();
    }

    /** Items taken earlier are written: they no longer count. */
    public synchronized void written(int count) {
        inFlight -= count;
    }

    /** Items waiting, not counting those being written. */
    public synchronized int size() {
        return items.size();
    }

    /** Everything that counts against the capacity: waiting and being written. */
    public synchronized int held() {
        return items.size() + inFlight;
    }

    public synchronized List<T> snapshot() {
        return List.copyOf(items);
    }
}

package io.timeoutpolicy.platform.database;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * A bounded first-in first-out buffer for writes that wait for the database (SPEC 7): a group of items is
 * accepted whole or not at all, taken in order, and put back in front when writing them failed.
 */
public final class BoundedBuffer<T> {

    private final Deque<T> items = new ArrayDeque<>();
    private final int capacity;

    public BoundedBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Accepts all of {@code group}, or none when it does not fit. */
    public synchronized boolean offer(Collection<? extends T> group) {
        if (items.size() + group.size() > capacity) {
            return false;
        }
        items.addAll(group);
        return true;
    }

    /** Removes and answers up to {@code max} of the oldest items. */
    public synchronized List<T> take(int max) {
        List<T> taken = new ArrayList<>(Math.min(max, items.size()));
        while (taken.size() < max && !items.isEmpty()) {
            taken.add(items.pollFirst());
        }
        return taken;
    }

    /** Returns items that could not be written to the front, in their order. */
    public synchronized void putBack(List<T> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            items.addFirst(group.get(i));
        }
    }

    public synchronized int size() {
        return items.size();
    }

    public synchronized List<T> snapshot() {
        return List.copyOf(items);
    }
}

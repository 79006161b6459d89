package io.timeoutpolicy.history;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The service names of one environment's attempts in memory, each held once as a small id that the attempts
 * carry (4 bytes each) — at most {@code cap} names at a time, so that no reporter, careless or hostile, can make
 * memory grow with the names it makes up. A name leaves when no attempt in memory refers to it any more
 * ({@link #expire}, after its series forgot the attempts before the same cut-off). Beyond the cap a new name's
 * attempts are held under {@link #UNTRACKED}: they count for the environment (timeouts, analysis, circuit) as
 * any other, only a per-service query cannot single them out, and {@link #maybeUntracked} says so rather than
 * answering without them.
 *
 * <p>Ids come from a counter shared by every environment and are never given twice, so an attempt that
 * outlives its name somewhere (a catch-up's copy, below every query's window) can never be taken for another
 * name's. Thread-safe without a lock: ingestion, replication and catch-ups intern concurrently.
 */
final class ServiceNames {

    /** The id of attempts that name no service. */
    static final int NO_SERVICE = 0;
    /** The id of attempts whose service arrived while the environment already held {@code cap} names. */
    static final int UNTRACKED = -1;
    /** Untracked names are remembered by hash only: this many slots, 8 bytes each, per environment. */
    static final int SLOTS = 1024;
    /** The mark of a name being forgotten: whoever meets it interns the name afresh. */
    private static final long DEAD = Long.MIN_VALUE;

    /** One name held: its id, and the newest occurred_at (micros) of its attempts. */
    private static final class Name extends AtomicLong {
        final int id;

        Name(int id, long lastSeen) {
            super(lastSeen);
            this.id = id;
        }
    }

    private final Map<String, Name> names = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    /** Per hash slot, the newest occurred_at of an attempt held as {@link #UNTRACKED}. */
    private final AtomicLongArray untrackedNewest = new AtomicLongArray(SLOTS);
    private final int cap;
    private final AtomicInteger ids;

    /** @param ids the next id to give, shared by every environment (starts at 1) */
    ServiceNames(int cap, AtomicInteger ids) {
        this.cap = cap;
        this.ids = ids;
        for (int i = 0; i < SLOTS; i++) {
            untrackedNewest.set(i, Long.MIN_VALUE);
        }
    }

    /**
     * The id an attempt of {@code service} that occurred at {@code atMicros} is held under: the name's id (made
     * now when there is room), {@link #NO_SERVICE} without a name, {@link #UNTRACKED} beyond the cap.
     */
    int idOf(String service, long atMicros) {
        if (service == null) {
            return NO_SERVICE;
        }
        while (true) {
            Name name = names.get(service);
            if (name == null) {
                if (held.incrementAndGet() > cap) {
                    held.decrementAndGet();
                    return untracked(service, atMicros);
                }
                int id = ids.getAndUpdate(i -> i == Integer.MAX_VALUE ? i : i + 1);
                if (id == Integer.MAX_VALUE) {
                    // Two thousand million names in one process's life: new ones are held untracked from here.
                    held.decrementAndGet();
                    return untracked(service, atMicros);
                }
                name = new Name(id, atMicros);
                if (names.putIfAbsent(service, name) == null) {
                    return id;
                }
                held.decrementAndGet(); // another thread interned it first: use that one
                continue;
            }
            if (touch(name, atMicros)) {
                return name.id;
            }
            names.remove(service, name); // being forgotten by expire: intern it again
        }
    }

    /** The id {@code service} is held under now, or -1 when it is not. */
    int lookup(String service) {
        Name name = names.get(service);
        return name == null || name.get() == DEAD ? -1 : name.id;
    }

    /**
     * True when some attempt after {@code afterMicros} may have been held untracked under {@code service}: a
     * per-service answer would miss it. False is exact; true may be another untracked name of the same slot.
     */
    boolean maybeUntracked(String service, long afterMicros) {
        return untrackedNewest.get(slot(service)) > afterMicros;
    }

    /**
     * Forgets the names whose newest attempt occurred before {@code cutoffMicros} — no attempt held refers to
     * them once every series of the environment expired the same cut-off. Answers how many went.
     */
    int expire(long cutoffMicros) {
        int gone = 0;
        for (Map.Entry<String, Name> e : names.entrySet()) {
            Name name = e.getValue();
            long seen = name.get();
            // The CAS loses to a concurrent touch: a name just seen again stays.
            if (seen != DEAD && seen < cutoffMicros && name.compareAndSet(seen, DEAD)) {
                names.remove(e.getKey(), name);
                held.decrementAndGet();
                gone++;
            }
        }
        return gone;
    }

    /** Names held now. */
    int size() {
        return held.get();
    }

    int cap() {
        return cap;
    }

    /** Raises a name's newest attempt to {@code atMicros}; false when the name is being forgotten. */
    private static boolean touch(Name name, long atMicros) {
        while (true) {
            long seen = name.get();
            if (seen == DEAD) {
                return false;
            }
            if (atMicros <= seen || name.compareAndSet(seen, atMicros)) {
                return true;
            }
        }
    }

    private int untracked(String service, long atMicros) {
        untrackedNewest.accumulateAndGet(slot(service), atMicros, Math::max);
        return UNTRACKED;
    }

    private static int slot(String service) {
        int h = service.hashCode();
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}

package dev.cancelable.facade.internal;

import dev.cancelable.Cancelable;
import dev.cancelable.registry.OperationRegistry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operations of asynchronous runs whose task waits for a thread of its executor, by registry and
 * id (not API): registries list only running operations, yet a client that was handed the id of a queued
 * invocation may ask to cancel it at once. A run is here from {@code supplyAsync} until its task
 * ends or is dropped. Thread-safe.
 */
public final class QueuedRuns {
    private static final ConcurrentHashMap<Key, Cancelable> QUEUED = new ConcurrentHashMap<>();

    private QueuedRuns() {
    }

    /**
     * {@code op}, a run of {@code registry}, waits for a thread.
     *
     * @param registry where the run is registered; null: none, nothing is recorded
     * @param op the run's operation
     */
    public static void add(OperationRegistry registry, Cancelable op) {
        if (registry != null) {
            QUEUED.putIfAbsent(new Key(registry, op.getId()), op);
        }
    }

    /**
     * {@code op} no longer waits: it runs, ended, or was dropped.
     *
     * @param registry where the run is registered; null: none
     * @param op the run's operation
     */
    public static void remove(OperationRegistry registry, Cancelable op) {
        if (registry != null) {
            QUEUED.remove(new Key(registry, op.getId()), op);
        }
    }

    /**
     * The queued run with {@code id} in {@code registry}.
     *
     * @param registry where to look
     * @param id the operation's id
     * @return the operation, or null when no run with that id waits
     */
    public static Cancelable find(OperationRegistry registry, String id) {
        return QUEUED.get(new Key(registry, id));
    }

    /** A registry, by identity, and an id. */
    private static final class Key {
        private final OperationRegistry registry;
        private final String id;

        Key(OperationRegistry registry, String id) {
            this.registry = registry;
            this.id = id;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key && ((Key) other).registry == registry && ((Key) other).id.equals(id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(registry), id);
        }
    }
}

package dev.cancelable.facade;

import dev.cancelable.Cancelable;
import dev.cancelable.facade.internal.DefaultExecutor;
import java.util.concurrent.Executor;

/**
 * The entry point of the Java facade: build operations, find the one the current thread runs.
 *
 * <pre>{@code
 * Operation fetch = Cancelables.operation("fetch").timeout(Duration.ofSeconds(5)).build();
 * String body = fetch.call(ctx -> {
 *     ctx.reportProgress("downloading");
 *     return download(url);               // interrupted and CanceledByTimeoutException after 5 s
 * });
 *
 * void deepInside() {                     // further down the same thread
 *     Cancelables.requireCurrent().throwIfCanceled();
 * }
 * }</pre>
 *
 * <p>Tokens ({@code dev.cancelable.CancellationToken}), registries
 * ({@code dev.cancelable.registry.OperationRegistry}) and snapshots are the core's own classes,
 * usable from Java as they are.
 *
 * <p>Thread-safety: all methods are thread-safe.
 */
public final class Cancelables {
    private Cancelables() {
    }

    /**
     * A builder for an operation named {@code name}.
     *
     * @param name the operation's name; not blank
     * @return a new builder
     */
    public static OperationBuilder operation(String name) {
        return new OperationBuilder(name);
    }

    /**
     * The operation the calling thread runs (inside a task of {@link Operation#call},
     * {@code supplyAsync} or {@code runAsync}, or any blocking run of the core), or null outside one.
     *
     * @return the current operation's context, or null
     */
    public static CancelableContext current() {
        Cancelable operation = Cancelable.current();
        return operation == null ? null : new CancelableContext(operation, Thread.currentThread());
    }

    /**
     * The operation the calling thread runs, for code that needs one.
     *
     * @return the current operation's context
     * @throws IllegalStateException if the calling thread runs no operation
     */
    public static CancelableContext requireCurrent() {
        CancelableContext current = current();
        if (current == null) {
            throw new IllegalStateException("No operation is running on thread '" + Thread.currentThread().getName()
                    + "': call this from inside a task run by Operation.call, supplyAsync or runAsync");
        }
        return current;
    }

    /**
     * The executor {@code supplyAsync} and {@code runAsync} use when given none: one shared pool of
     * daemon threads named {@code cancelable-async-N}, created on demand, reused, and ended after
     * 60 seconds idle (the shape of {@code Executors.newCachedThreadPool}). Tasks run blocking and are
     * interrupted on cancel, which suits neither the common {@code ForkJoinPool} (few threads on
     * small machines, starved by blocking) nor a fixed pool (a cancel waits for a free thread). It
     * has no bound: pass your own executor to limit concurrency.
     *
     * @return the shared executor; it cannot be shut down
     */
    public static Executor defaultExecutor() {
        return DefaultExecutor.INSTANCE;
    }
}

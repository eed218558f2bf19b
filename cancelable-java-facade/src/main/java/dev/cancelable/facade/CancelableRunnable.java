package dev.cancelable.facade;

/**
 * A task without a value, for {@link Operation#runAsync}: the void form of {@link CancelableFunction}.
 *
 * <pre>{@code
 * CompletableFuture<Void> done = op.runAsync(ctx -> importAll(ctx));
 * }</pre>
 *
 * <p>Thread-safety: whatever the task itself needs; the facade calls it once per run, on one thread.
 *
 * @param <E> the checked exception the task may throw ({@code RuntimeException} for none)
 */
@FunctionalInterface
public interface CancelableRunnable<E extends Exception> {
    /**
     * Runs the task.
     *
     * @param context the running operation
     * @throws E whatever the task throws; it is passed on unwrapped
     */
    void run(CancelableContext context) throws E;
}

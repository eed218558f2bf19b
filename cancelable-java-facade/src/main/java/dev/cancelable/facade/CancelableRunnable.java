package dev.cancelable.facade;

/**
 * A task without a value, for {@link Operation#runAsync}: the void form of {@link CancelableFunction}.
 *
 * <pre>{@code
 * CompletableFuture<Void> done = op.runAsync(ctx -> importAll(ctx));
 * }</pre>
 *
 * <p>Thread-safety: whatever the task itself needs; the facade calls it once per run, on one thread.
 */
@FunctionalInterface
public interface CancelableRunnable {
    /**
     * Runs the task.
     *
     * @param context the running operation
     * @throws Exception whatever the task throws; it is passed on unwrapped
     */
    void run(CancelableContext context) throws Exception;
}

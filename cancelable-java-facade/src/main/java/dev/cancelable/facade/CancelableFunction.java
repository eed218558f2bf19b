package dev.cancelable.facade;

/**
 * A task that runs as an operation: it receives the operation's {@link CancelableContext} and
 * returns a value or throws. The one task shape of the facade, for {@link Operation#call},
 * {@link Operation#supplyAsync} and (returning a {@code CompletionStage}) {@link Operation#compose}.
 *
 * <p>The exception type is inferred from the lambda: one that throws nothing checked makes
 * {@code call} throw nothing checked, one that throws {@code IOException} makes it throw exactly that.
 *
 * <pre>{@code
 * String page = op.call(ctx -> {
 *     ctx.reportProgress("connecting");
 *     return client.fetch();            // may throw IOException; call() then declares it
 * });
 * }</pre>
 *
 * <p>Thread-safety: whatever the task itself needs; the facade calls it once per run, on one thread.
 *
 * @param <T> the value the task returns
 * @param <E> the checked exception the task may throw ({@code RuntimeException} for none)
 */
@FunctionalInterface
public interface CancelableFunction<T, E extends Exception> {
    /**
     * Runs the task.
     *
     * @param context the running operation: check it, sleep on it, report progress to it
     * @return the task's value, possibly null
     * @throws E whatever the task throws; it is passed on unwrapped
     */
    T apply(CancelableContext context) throws E;
}

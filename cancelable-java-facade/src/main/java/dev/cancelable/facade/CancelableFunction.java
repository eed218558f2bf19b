package dev.cancelable.facade;

/**
 * A task that runs as an operation: it receives the operation's {@link CancelableContext} and
 * returns a value or throws. The one task shape of the facade, for {@link Operation#call},
 * {@link Operation#supplyAsync} and (returning a {@code CompletionStage}) {@link Operation#wrap}.
 *
 * <pre>{@code
 * CancelableFunction<String> fetch = ctx -> {
 *     ctx.reportProgress("connecting");
 *     return client.fetch();            // may throw; the exception leaves call() unchanged
 * };
 * }</pre>
 *
 * <p>Thread-safety: whatever the task itself needs; the facade calls it once per run, on one thread.
 *
 * @param <T> the value the task returns
 */
@FunctionalInterface
public interface CancelableFunction<T> {
    /**
     * Runs the task.
     *
     * @param context the running operation: check it, sleep on it, report progress to it
     * @return the task's value, possibly null
     * @throws Exception whatever the task throws; it is passed on unwrapped
     */
    T apply(CancelableContext context) throws Exception;
}

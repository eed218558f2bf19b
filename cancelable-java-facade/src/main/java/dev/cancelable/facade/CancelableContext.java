package dev.cancelable.facade;

import dev.cancelable.CancelationException;
import dev.cancelable.CancelationReason;
import dev.cancelable.Cancelable;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.internal.Bridge;
import dev.cancelable.registry.OperationSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The running operation as its task sees it: check and sleep cooperatively, report progress, hook
 * resources that interrupts cannot stop, or cancel it.
 *
 * <pre>{@code
 * String rows = op.call(ctx -> {
 *     try (Statement st = connection.createStatement();
 *          Registration r = ctx.onCancel(e -> cancelQuietly(st))) {   // JDBC ignores interrupts
 *         ctx.reportProgress("querying");
 *         return read(st.executeQuery(sql));
 *     }
 * });
 * }</pre>
 *
 * <p>A task receives its context as its argument; code further down the same thread finds it with
 * {@link Cancelables#current()}. Two contexts of the same operation are equal.
 *
 * <p>Thread-safety: every method may be called from any thread. {@link #throwIfCanceled()} and
 * {@link #sleep(Duration)} treat an interrupt of the thread that runs the operation as a cancel
 * request, as {@link Operation#call} does.
 */
public final class CancelableContext {
    final Cancelable operation;
    /** The thread that runs the operation blocking, or null (a wrapped stage has none). */
    private final Thread owner;

    CancelableContext(Cancelable operation, Thread owner) {
        this.operation = operation;
        this.owner = owner;
    }

    /**
     * The operation's id, unique in the process (or the one given to the builder).
     *
     * @return the id
     */
    public String id() {
        return operation.getId();
    }

    /**
     * The operation's name.
     *
     * @return the name
     */
    public String name() {
        return operation.getName();
    }

    /**
     * The operation's status now: RUNNING inside the task, then COMPLETED, CANCELED or FAILED.
     *
     * @return the status
     */
    public OperationStatus status() {
        return operation.getStatus();
    }

    /**
     * True as soon as cancelation was requested (by a source, {@link #cancel()}, the future, the
     * registry, a parent or an interrupt), before the task has reacted to it.
     *
     * @return whether cancelation was requested
     */
    public boolean isCanceled() {
        return operation.isCanceled();
    }

    /**
     * An immutable picture of the operation now: status, reason and message, timings, metadata, hierarchy.
     *
     * @return the snapshot
     */
    public OperationSnapshot snapshot() {
        return operation.getContext().snapshot();
    }

    /**
     * Returns at once if the operation goes on; otherwise throws its cancelation, typed by reason
     * ({@code TimeoutCancelation}, {@code ManualCancelation}, ...). If the operation's thread was
     * interrupted by someone else, that becomes a cancel request (reason MANUAL) first; {@link
     * Operation#call} sets the interrupt flag again before it throws.
     *
     * @throws CancelationException if cancelation was requested
     */
    public void throwIfCanceled() {
        operation.checkCancelation();
    }

    /**
     * Sleeps for {@code duration}, waking at once if the operation is canceled meanwhile (whatever
     * its interrupt policy), and then throws the typed cancelation. A zero duration only checks.
     *
     * @param duration how long to sleep; not negative
     * @throws CancelationException if the operation is or gets canceled
     * @throws InterruptedException if a thread that does not run the operation is interrupted while
     *     sleeping (on the operation's own thread an interrupt is a cancel request instead)
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void sleep(Duration duration) throws InterruptedException {
        Sleeper.sleep(this, Sleeper.nanos(duration), null);
    }

    /**
     * Reports progress to the operation's progress listeners and then to those of every ancestor.
     * Does nothing once the operation has ended; listener failures are logged, never thrown.
     *
     * @param message the report
     */
    public void reportProgress(String message) {
        reportProgress(message, Map.of());
    }

    /**
     * Reports progress with metadata, as {@link #reportProgress(String)}.
     *
     * @param message the report
     * @param metadata what comes with it, e.g. {@code Map.of("percent", 50)}
     */
    public void reportProgress(String message, Map<String, ?> metadata) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(metadata, "metadata");
        operation.reportProgressBlocking(message, metadata);
    }

    /**
     * Runs {@code hook} the moment cancelation is requested, on the thread that requests it (at once,
     * on this thread, if it already was): close a socket, {@code Statement.cancel()} a JDBC query,
     * wake a waiter. The hook must be fast; a failure is logged at WARN.
     *
     * @param hook receives the typed cancelation
     * @return a registration whose {@code close()} removes the hook
     */
    public Registration onCancel(Consumer<? super CancelationException> hook) {
        Objects.requireNonNull(hook, "hook");
        var handle = Bridge.onCancelRequest(operation, hook);
        return handle::dispose;
    }

    /**
     * Requests cancelation with reason MANUAL. The task sees it at its next check or sleep (or as an
     * interrupt, by default); the operation ends CANCELED unless the task catches it and returns.
     *
     * @return true if this call was the first request
     */
    public boolean cancel() {
        return operation.cancel(CancelationReason.MANUAL, null, true);
    }

    /**
     * Requests cancelation with a reason and message, as {@link #cancel()}.
     *
     * @param reason recorded as the operation's cancel reason
     * @param message recorded as its cancel message
     * @return true if this call was the first request
     */
    public boolean cancel(CancelationReason reason, String message) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        return operation.cancel(reason, message, true);
    }

    /**
     * Sets one metadata entry, visible in snapshots and the registry from now on.
     *
     * @param key the entry's key
     * @param value its value
     */
    public void putMetadata(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        operation.putMetadata(key, value);
    }

    boolean isOwnedBy(Thread thread) {
        return owner == thread;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CancelableContext && ((CancelableContext) other).operation == operation;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(operation);
    }

    @Override
    public String toString() {
        return "CancelableContext(name='" + name() + "', id=" + id() + ", status=" + status() + ")";
    }
}

package dev.cancelable.facade;

import dev.cancelable.Cancelable;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.OperationContext;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.internal.Bridge;
import dev.cancelable.facade.internal.Sleeper;
import dev.cancelable.registry.OperationSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The running operation as its task sees it: everything an {@link OperationContext} tells (id,
 * name, status, reason, timings, metadata), plus checking and sleeping cooperatively, reporting
 * progress, hooking resources that interrupts cannot stop, and canceling.
 *
 * <pre>{@code
 * String rows = op.call(ctx -> {
 *     try (Statement st = connection.createStatement();
 *          Registration r = ctx.onCancelRequested(e -> cancelQuietly(st))) {   // JDBC ignores interrupts
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
public final class CancelableContext implements OperationContext {
    private final Cancelable operation;
    /** The thread that runs the operation blocking, or null (a composed stage has none). */
    private final Thread owner;

    CancelableContext(Cancelable operation, Thread owner) {
        this.operation = operation;
        this.owner = owner;
    }

    /** The core operation, for the facade's own use. */
    Cancelable operation() {
        return operation;
    }

    @Override
    public String getId() {
        return operation.getId();
    }

    @Override
    public String getName() {
        return operation.getName();
    }

    @Override
    public OperationStatus getStatus() {
        return operation.getStatus();
    }

    @Override
    public Instant getStartTime() {
        return operation.getStartTime();
    }

    @Override
    public Instant getEndTime() {
        return operation.getEndTime();
    }

    @Override
    public Duration getDuration() {
        return operation.getDuration();
    }

    /**
     * True as soon as cancellation was requested (by a source, {@link #cancel()}, the future, the
     * registry, a parent or an interrupt), before the task has reacted to it.
     */
    @Override
    public boolean isCanceled() {
        return operation.isCanceled();
    }

    @Override
    public CancellationReason getCancelReason() {
        return operation.getCancelReason();
    }

    @Override
    public String getCancelMessage() {
        return operation.getCancelMessage();
    }

    @Override
    public String getCanceledBy() {
        return operation.getCanceledBy();
    }

    @Override
    public String getError() {
        return operation.getError();
    }

    @Override
    public Object getPartialResult() {
        return operation.getPartialResult();
    }

    @Override
    public Map<String, Object> getMetadata() {
        return operation.getMetadata();
    }

    @Override
    public String getParentId() {
        return operation.getParentId();
    }

    @Override
    public Set<String> getChildIds() {
        return operation.getChildIds();
    }

    @Override
    public boolean isShielded() {
        return operation.isShielded();
    }

    /**
     * The earliest instant at which a timeout of this operation or of an enclosing one fires, or empty
     * when none applies: what to pass downstream as a deadline. {@code Duration.between(Instant.now(),
     * deadline)} is the time left.
     *
     * @return the deadline, or empty
     */
    public Optional<Instant> getDeadline() {
        return Optional.ofNullable(operation.getDeadline());
    }

    @Override
    public OperationSnapshot snapshot() {
        return operation.snapshot();
    }

    /**
     * Returns at once if the operation goes on; otherwise throws its cancellation, typed by reason
     * ({@code CanceledByTimeoutException}, {@code CanceledManuallyException}, ...). If the operation's
     * thread was interrupted by someone else, that becomes a cancel request (reason MANUAL) first;
     * {@link Operation#call} sets the interrupt flag again before it throws.
     *
     * @throws OperationCanceledException if cancellation was requested
     */
    public void throwIfCanceled() {
        operation.throwIfCanceled();
    }

    /**
     * Sleeps for {@code duration}, waking at once if the operation is canceled meanwhile (whatever
     * its interrupt policy), and then throws the typed cancellation. A zero duration only checks.
     *
     * @param duration how long to sleep; not negative
     * @throws OperationCanceledException if the operation is or gets canceled
     * @throws InterruptedException if a thread that does not run the operation is interrupted while
     *     sleeping (on the operation's own thread an interrupt is a cancel request instead)
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void sleep(Duration duration) throws InterruptedException {
        Sleeper.sleep(operation, owner, Sleeper.nanos(duration), null);
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
        operation.reportProgress(message, metadata);
    }

    /**
     * Runs {@code hook} the moment cancellation is requested, on the thread that requests it (at once,
     * on this thread, if it already was): close a socket, {@code Statement.cancel()} a JDBC query,
     * wake a waiter. The hook must be fast; a failure is logged at WARN. (The builder's
     * {@code onCanceled} is another thing: it runs once the operation has ended canceled.)
     *
     * @param hook receives the typed cancellation
     * @return a registration whose {@code close()} removes the hook
     */
    public Registration onCancelRequested(Consumer<? super OperationCanceledException> hook) {
        Objects.requireNonNull(hook, "hook");
        var handle = Bridge.onCancelRequested(operation, hook);
        return handle::dispose;
    }

    /**
     * Requests cancellation with reason MANUAL. The task sees it at its next check or sleep (or as an
     * interrupt, by default); the operation ends CANCELED unless the task catches it and returns.
     *
     * @return true if this call was the first request
     */
    public boolean cancel() {
        return operation.cancel(CancellationReason.MANUAL, null, true);
    }

    /**
     * Requests cancellation with a reason and message, as {@link #cancel()}.
     *
     * @param reason recorded as the operation's cancel reason
     * @param message recorded as its cancel message
     * @return true if this call was the first request
     */
    public boolean cancel(CancellationReason reason, String message) {
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
        return "CancelableContext(name='" + getName() + "', id=" + getId() + ", status=" + getStatus() + ")";
    }
}

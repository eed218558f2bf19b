package dev.cancelable.facade;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.CancellationReason;
import dev.cancelable.Cancelable;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.facade.internal.Bridge;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The future of one run, wired both ways to its operation.
 *
 * <ul>
 *   <li>{@link #cancel} cancels the operation (reason MANUAL) and completes this future at once with
 *       the operation's typed cancellation (the one already recorded, if a source canceled it first),
 *       so {@code isCancelled()} is true and {@code get()} throws it.
 *   <li>Completing the future from outside ({@code complete}, {@code completeExceptionally},
 *       {@code orTimeout}, {@code completeOnTimeout}) cancels the operation too; a
 *       {@code TimeoutException} gives reason TIMEOUT, anything else MANUAL.
 *   <li>The run settles the future with what the operation ended with: its value, the task's own
 *       exception, or the typed cancellation.
 * </ul>
 *
 * <p>The operation is attached once it exists: for {@code supplyAsync} when the task starts on its
 * executor, so a future canceled before that never creates one (or at once, to record it failed, if
 * the executor rejects the task).
 */
final class OperationFuture<T> extends CompletableFuture<T> {
    static final String CANCELED_BY_FUTURE = "Operation canceled through its future";
    private static final String COMPLETED_FROM_OUTSIDE = "Operation canceled: its future was completed before it ended";
    private static final String FUTURE_TIMED_OUT = "Operation canceled: its future timed out";

    private volatile Cancelable operation;

    /** Makes this future control {@code op}; cancels it at once if the future is already done. */
    void attach(Cancelable op) {
        operation = op;
        if (isDone()) {
            cancelOperation(op, CancellationReason.MANUAL, CANCELED_BY_FUTURE);
        }
    }

    void settle(T value) {
        super.complete(value);
    }

    void settleExceptionally(Throwable failure) {
        super.completeExceptionally(failure);
    }

    /** Settles with a value or, when {@code failure} is not null, with the failure. */
    void settle(T value, Throwable failure) {
        if (failure != null) {
            super.completeExceptionally(failure);
        } else {
            super.complete(value);
        }
    }

    /**
     * Cancels the operation (reason MANUAL) and completes this future with its typed cancellation.
     * Whether the task's thread is interrupted is the operation's interrupt policy (on by default),
     * not {@code mayInterruptIfRunning}, which has no effect, as in {@code CompletableFuture}.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        Cancelable op = operation;
        OperationCanceledException cancellation;
        if (op != null) {
            op.cancel(CancellationReason.MANUAL, CANCELED_BY_FUTURE, true);
            cancellation = Bridge.requestedCancellation(op);
            if (cancellation == null) {
                cancellation = new CanceledManuallyException(CANCELED_BY_FUTURE, op);
            }
        } else {
            cancellation = new CanceledManuallyException(CANCELED_BY_FUTURE + " before it started", null);
        }
        boolean canceled = super.completeExceptionally(cancellation);
        if (op == null) {
            // The task may have attached its operation meanwhile without seeing this future done.
            cancelOperation(operation, CancellationReason.MANUAL, CANCELED_BY_FUTURE);
        }
        return canceled || isCancelled();
    }

    @Override
    public boolean complete(T value) {
        boolean completed = super.complete(value);
        if (completed) {
            cancelOperation(operation, CancellationReason.MANUAL, COMPLETED_FROM_OUTSIDE);
        }
        return completed;
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        boolean completed = super.completeExceptionally(failure);
        if (completed) {
            boolean timedOut = failure instanceof TimeoutException;
            cancelOperation(operation, timedOut ? CancellationReason.TIMEOUT : CancellationReason.MANUAL,
                    timedOut ? FUTURE_TIMED_OUT : COMPLETED_FROM_OUTSIDE);
        }
        return completed;
    }

    private static void cancelOperation(Cancelable op, CancellationReason reason, String message) {
        if (op != null) {
            op.cancel(reason, message, true);
        }
    }
}

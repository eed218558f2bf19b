package dev.cancelable.facade.invocation;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.Cancelable;
import dev.cancelable.CancellationReason;

/**
 * Raised once per cancel request of an invocation (see {@link Invocations}): the action may catch
 * it and carry on, or let it escape, which ends its operation CANCELED with reason MANUAL (and a
 * future completed with it reports {@code isCancelled()}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvocationCanceledException extends OperationCanceledException {
    private static final long serialVersionUID = 1L;

    /**
     * A new exception for the invocation run by {@code operation}.
     *
     * @param message the request's message; null gives "The invocation was canceled"
     * @param operation the operation of the canceled invocation, or null
     */
    public InvocationCanceledException(String message, Cancelable operation) {
        super(CancellationReason.MANUAL, message == null ? "The invocation was canceled" : message, operation);
    }
}

package dev.cancelable.facade;

import dev.cancelable.CancelationException;
import dev.cancelable.CancelationReason;

/**
 * Raised once per cancel request of an invocation (see {@link Invocations}): the action may catch
 * it and carry on, or let it escape, which ends its operation CANCELED with reason MANUAL (and a
 * future completed with it reports {@code isCancelled()}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvocationCanceledException extends CancelationException {
    private static final long serialVersionUID = 1L;

    /**
     * A new exception for the invocation {@code invocationId}.
     *
     * @param message the request's message; null gives "The invocation was canceled"
     * @param invocationId id of the canceled invocation, or null
     */
    public InvocationCanceledException(String message, String invocationId) {
        super(CancelationReason.MANUAL, message == null ? "The invocation was canceled" : message, invocationId);
    }
}

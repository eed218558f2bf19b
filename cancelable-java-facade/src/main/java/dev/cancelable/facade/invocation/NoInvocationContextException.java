package dev.cancelable.facade.invocation;

/**
 * Thrown by {@link Invocations#currentId()} when the calling thread runs no invocation.
 *
 * <p>Immutable; thread-safe.
 */
public class NoInvocationContextException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A new exception with its message.
     *
     * @param message what was asked, and where it works
     */
    public NoInvocationContextException(String message) {
        super(message);
    }
}

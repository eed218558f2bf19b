package dev.cancelable.facade;

/**
 * A hook registered on an operation; {@link #close()} removes it. Closing twice, or after the hook
 * has run, does nothing.
 *
 * <pre>{@code
 * try (Registration r = ctx.onCancel(e -> socket.close())) {
 *     return read(socket);
 * }
 * }</pre>
 *
 * <p>Thread-safe: may be closed from any thread.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    /** Removes the hook; it will not run after this returns (unless it is running already). */
    @Override
    void close();
}

package dev.cancelable.facade;

/**
 * A hook registered on an operation; {@link #close()} removes it. Closing twice, or after the hook
 * has run, does nothing.
 *
 * <pre>{@code
 * try (Registration r = ctx.onCancelRequested(e -> socket.close())) {
 *     return read(socket);
 * }
 * }</pre>
 *
 * <p>Thread-safe: may be closed from any thread.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    /**
     * Removes the hook. Closed before the operation is canceled, it never runs. Once a cancel has
     * begun running the hooks (on the canceling thread), closing cannot stop it: it may still run
     * shortly after this returns, so a hook must tolerate its resource being gone already.
     */
    @Override
    void close();
}

package dev.cancelable.facade.internal;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor asynchronous runs use when given none: one shared pool of daemon threads named
 * {@code cancelable-async-N}, created on demand, reused, and ended after 60 seconds idle. Not API:
 * reached through {@code Cancelables.defaultExecutor()}.
 */
public final class DefaultExecutor {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "cancelable-async-" + COUNT.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    /** The shared executor; it cannot be shut down. */
    public static final Executor INSTANCE = command -> POOL.execute(Objects.requireNonNull(command, "command"));

    private DefaultExecutor() {
    }
}

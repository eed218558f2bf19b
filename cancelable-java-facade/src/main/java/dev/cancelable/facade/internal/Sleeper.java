package dev.cancelable.facade.internal;

import dev.cancelable.Cancelable;
import dev.cancelable.CancellationToken;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import kotlinx.coroutines.DisposableHandle;

/**
 * The cancelable sleep of blocking tasks: parks the thread and lets a cancel request of the operation
 * (and of an {@link Interrupter}, if given) unpark it, so it wakes whatever the operation's interrupt
 * policy is. Not API.
 */
public final class Sleeper {
    private Sleeper() {
    }

    /**
     * Something besides the operation's own cancel that ends a sleep: a succession of tokens, each
     * canceled by one request, and a check that throws for a pending request.
     */
    public interface Interrupter {
        /** The token of the current request, for the sleeper to watch. */
        CancellationToken current();

        /** Throws if a request is pending (and may reset it). */
        void raiseIfRequested(Cancelable operation);
    }

    /**
     * Sleeps {@code nanos} on the thread {@code owner} runs {@code operation} on (or another thread),
     * waking at its cancel or at a request of {@code interrupter}.
     *
     * @throws InterruptedException if a thread that does not run the operation is interrupted
     */
    public static void sleep(Cancelable operation, Thread owner, long nanos, Interrupter interrupter)
            throws InterruptedException {
        Thread thread = Thread.currentThread();
        check(operation, owner, interrupter, thread);
        if (nanos == 0) {
            return;
        }
        long start = System.nanoTime();
        DisposableHandle wakeOnCancel = Bridge.onCancelRequested(operation, e -> LockSupport.unpark(thread));
        CancellationToken watched = null;
        DisposableHandle wakeOnRequest = null;
        try {
            while (true) {
                if (interrupter != null && interrupter.current() != watched) {
                    if (wakeOnRequest != null) {
                        wakeOnRequest.dispose();
                    }
                    watched = interrupter.current();
                    wakeOnRequest = watched.onCancelRequested(token -> LockSupport.unpark(thread));
                }
                check(operation, owner, interrupter, thread);
                long left = nanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(operation, left);
            }
        } finally {
            wakeOnCancel.dispose();
            if (wakeOnRequest != null) {
                wakeOnRequest.dispose();
            }
        }
    }

    /** Throws if the operation is canceled, a request is pending, or the thread was interrupted. */
    private static void check(Cancelable operation, Thread owner, Interrupter interrupter, Thread thread)
            throws InterruptedException {
        if (operation.isCanceled() || (thread.isInterrupted() && owner == thread)) {
            operation.throwIfCanceled();
        }
        if (thread.isInterrupted()) {
            Thread.interrupted();
            throw new InterruptedException("sleep interrupted");
        }
        if (interrupter != null) {
            interrupter.raiseIfRequested(operation);
        }
    }

    /**
     * The nanoseconds to sleep for {@code duration}, saturated at {@code Long.MAX_VALUE}.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static long nanos(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}

package dev.cancelable.facade;

import dev.cancelable.CancelationToken;
import dev.cancelable.facade.internal.Bridge;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import kotlinx.coroutines.DisposableHandle;

/**
 * The cancelable sleep behind {@link CancelableContext#sleep} and {@link Invocations#sleep}: parks
 * the thread and lets a cancel request of the operation (and, for invocations, a resettable cancel
 * request) unpark it, so it wakes whatever the operation's interrupt policy is.
 */
final class Sleeper {
    private Sleeper() {
    }

    static void sleep(CancelableContext context, long total, InvocationCancelRequest request)
            throws InterruptedException {
        Thread thread = Thread.currentThread();
        check(context, request, thread);
        if (total == 0) {
            return;
        }
        long start = System.nanoTime();
        DisposableHandle wakeOnCancel = Bridge.onCancelRequest(context.operation, e -> LockSupport.unpark(thread));
        CancelationToken watched = null;
        DisposableHandle wakeOnRequest = null;
        try {
            while (true) {
                if (request != null && request.current() != watched) {
                    if (wakeOnRequest != null) {
                        wakeOnRequest.dispose();
                    }
                    watched = request.current();
                    wakeOnRequest = watched.onCancel(token -> LockSupport.unpark(thread));
                }
                check(context, request, thread);
                long left = total - (System.nanoTime() - start);
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(context, left);
            }
        } finally {
            wakeOnCancel.dispose();
            if (wakeOnRequest != null) {
                wakeOnRequest.dispose();
            }
        }
    }

    /** Throws if the operation is canceled, the request is pending, or the thread was interrupted. */
    private static void check(CancelableContext context, InvocationCancelRequest request, Thread thread)
            throws InterruptedException {
        if (context.isCanceled() || (thread.isInterrupted() && context.isOwnedBy(thread))) {
            context.throwIfCanceled();
        }
        if (thread.isInterrupted()) {
            Thread.interrupted();
            throw new InterruptedException("sleep interrupted");
        }
        if (request != null) {
            request.raiseIfRequested(context.id());
        }
    }

    /**
     * The nanoseconds to sleep for {@code duration}, saturated at {@code Long.MAX_VALUE}.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    static long nanos(Duration duration) {
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

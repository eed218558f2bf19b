package dev.cancelable.examples.java;

import dev.cancelable.CancellationToken;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.CancelableContext;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Methods whose whole body is an operation: one {@code call} each, the counterpart of the
 * reference library's {@code @cancelable} decorator, bound to a timeout, a token or a condition.
 */
public final class OneLinerExample {
    private OneLinerExample() {
    }

    // region readme:one-liner
    static String fetchReport(int id) throws InterruptedException {
        return Cancelables.operation("fetch-report").timeout(Duration.ofSeconds(1)).build().call(ctx -> {
            ctx.reportProgress("fetching report " + id);
            audit("fetch " + id);                               // finds the operation without being passed it
            ctx.sleep(Duration.ofMillis(20));
            return "report #" + id;
        });
    }

    static void audit(String what) {
        CancelableContext current = Cancelables.current();
        System.out.println("audit '" + what + "' inside " + (current == null ? null : current.getName()));
    }
    // endregion

    private static final CancellationToken SHUTDOWN = new CancellationToken();

    /** An operation is immutable: build it once and reuse it for every call, like a decorator. */
    private static final Operation POLL_QUEUE = Cancelables.operation("poll-queue").token(SHUTDOWN).build();

    static int pollQueue() throws InterruptedException {
        return POLL_QUEUE.call(ctx -> {
            ctx.sleep(Duration.ofMillis(10));
            return 7;
        });
    }

    public static void main(String[] args) throws Exception {
        System.out.println(fetchReport(1));
        System.out.println("poll-queue before shutdown: " + pollQueue() + " messages");
        SHUTDOWN.cancel();
        try {
            pollQueue();
        } catch (OperationCanceledException e) {
            System.out.println("poll-queue after shutdown: " + e.getReason() + " - canceled at once");
        }
        AtomicInteger checks = new AtomicInteger();
        Object idle;
        try {
            idle = Cancelables.operation("idle-wait")
                    .condition(() -> checks.incrementAndGet() >= 3, Duration.ofMillis(20))
                    .build()
                    .call(ctx -> {
                        ctx.sleep(Duration.ofSeconds(10));
                        return null;
                    });
        } catch (OperationCanceledException e) {
            idle = e.getReason();
        }
        System.out.println("idle-wait: " + idle + " after " + checks.get() + " checks");
        audit("outside");
    }
}

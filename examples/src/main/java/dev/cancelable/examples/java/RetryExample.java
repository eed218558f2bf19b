package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.CancelableContext;
import dev.cancelable.facade.CancelableFunction;
import dev.cancelable.facade.Cancelables;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Retries with backoff inside one operation: each attempt is a child with its own timeout, and a cancel stops the retries. */
public final class RetryExample {
    private RetryExample() {
    }

    /** An upstream service that fails its first {@code failures} calls. */
    static final class FlakyService {
        private final int failures;
        private final AtomicInteger calls = new AtomicInteger();

        FlakyService(int failures) {
            this.failures = failures;
        }

        String fetch(CancelableContext ctx) throws IOException, InterruptedException {
            int call = calls.incrementAndGet();
            ctx.sleep(Duration.ofMillis(30));
            if (call <= failures) {
                throw new IOException("503 from upstream");
            }
            return "payload";
        }

        int calls() {
            return calls.get();
        }
    }

    // region readme:retry
    static <T> T retry(int attempts, Duration backoff, CancelableFunction<T, ?> task) throws Exception {
        CancelableContext outer = Cancelables.requireCurrent();
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return Cancelables.operation("attempt-" + attempt).timeout(Duration.ofSeconds(1)).build()
                        .call(task);                                         // a child of the current operation
            } catch (Exception e) {
                if (e instanceof OperationCanceledException && !(e instanceof CanceledByTimeoutException)) {
                    throw e;                                                 // canceled: no more attempts
                }
                outer.throwIfCanceled();                                     // the caller's cancel wins too
                if (attempt >= attempts) {
                    throw e;
                }
                System.out.println("attempt " + attempt + " failed: " + e.getMessage() + "; retrying in " + wait.toMillis() + " ms");
                outer.sleep(wait);                                           // a cancel lands here as well
                wait = wait.multipliedBy(2);
            }
        }
    }
    // endregion

    public static void main(String[] args) throws Exception {
        FlakyService orders = new FlakyService(2);
        String synced = Cancelables.operation("sync-orders").timeout(Duration.ofSeconds(5)).build()
                .call(ctx -> retry(5, Duration.ofMillis(50), orders::fetch));
        System.out.println("sync-orders: " + synced + " after " + orders.calls() + " attempts");

        // region readme:retry-budget
        AtomicInteger calls = new AtomicInteger();
        try {
            Cancelables.operation("sync-invoices").timeout(Duration.ofMillis(500)).build()
                    .call(ctx -> retry(10, Duration.ofMillis(100), attempt -> {
                        calls.incrementAndGet();
                        attempt.sleep(Duration.ofMillis(30));
                        if (calls.get() <= 100) {
                            throw new IOException("503 from upstream");     // an upstream that keeps failing
                        }
                        return "invoices";
                    }));
        } catch (CanceledByTimeoutException e) {
            System.out.println("sync-invoices gave up after " + calls.get() + " attempts: " + e.getReason() + " - " + e.getMessage());
        }
        // endregion
    }
}

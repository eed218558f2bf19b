package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.Cancelables;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A deadline around work: quick work completes, slow work is canceled with TIMEOUT. */
public final class TimeoutExample {
    private TimeoutExample() {
    }

    public static void main(String[] args) throws Exception {
        String quick = Cancelables.operation("quick-lookup").timeout(Duration.ofSeconds(2)).build()
                .call(ctx -> {
                    ctx.sleep(Duration.ofMillis(20));
                    return "found";
                });
        System.out.println("quick-lookup: " + quick);

        // region readme:timeout
        long started = System.nanoTime();
        try {
            Cancelables.operation("slow-download").timeout(Duration.ofMillis(300)).build()
                    .call(ctx -> {
                        Thread.sleep(10_000);                          // interrupted at the deadline
                        return null;
                    });
        } catch (CanceledByTimeoutException e) {
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            System.out.println("slow-download canceled after " + elapsed + " ms: " + e.getReason() + " - " + e.getMessage());
        }
        // endregion

        // region readme:timeout-deferred
        CompletableFuture<String> report = Cancelables.operation("slow-report")
                .timeout(Duration.ofMillis(200)).build()
                .supplyAsync(ctx -> {
                    ctx.sleep(Duration.ofSeconds(10));
                    return "report";
                });
        try {
            report.join();
        } catch (OperationCanceledException e) {                     // join() throws the typed cancellation
            System.out.println("slow-report: isCancelled=" + report.isCancelled() + ", " + e.getReason());
        }
        // endregion
    }
}

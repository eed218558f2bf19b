package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.facade.Cancelables;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** Another thread cancels a running operation, through a token or its future; the work stops at once. */
public final class CancelFromThreadExample {
    private CancelFromThreadExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:cancel-from-thread
        CancellationToken stop = new CancellationToken();
        Thread operator = new Thread(() -> {
            sleepQuietly(scaled(Duration.ofMillis(200)));
            stop.cancel(CancellationReason.MANUAL, "operator pressed stop");    // from any thread
        }, "operator");
        operator.start();
        long started = System.nanoTime();
        try {
            Cancelables.operation("render-video").token(stop).build().call(ctx -> {
                Thread.sleep(scaled(Duration.ofSeconds(10)).toMillis());         // interrupted at the cancel
                return null;
            });
        } catch (OperationCanceledException e) {
            System.out.println("render-video canceled from thread 'operator' after " + (System.nanoTime() - started) / 1_000_000
                    + " ms: " + e.getReason() + " - " + e.getMessage());
        }
        // endregion
        operator.join();

        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Void> transcode = Cancelables.operation("transcode").build().runAsync(ctx -> {
            running.countDown();
            ctx.sleep(scaled(Duration.ofSeconds(10)));
        });
        Thread admin = new Thread(() -> {
            awaitQuietly(running);
            transcode.cancel(true);                                            // cancels the operation too
        }, "admin");
        admin.start();
        try {
            transcode.join();
        } catch (OperationCanceledException e) {
            System.out.println("transcode canceled from thread 'admin': " + e.getReason());
        }
        admin.join();
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

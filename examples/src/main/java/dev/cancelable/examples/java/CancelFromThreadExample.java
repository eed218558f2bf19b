package dev.cancelable.examples.java;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationCanceledException;
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
            try {
                Thread.sleep(200);
                stop.cancel(CancellationReason.MANUAL, "operator pressed stop");    // from any thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "operator");
        operator.start();
        long started = System.nanoTime();
        try {
            Cancelables.operation("render-video").token(stop).build().call(ctx -> {
                Thread.sleep(10_000);                                            // interrupted at the cancel
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
            ctx.sleep(Duration.ofSeconds(10));
        });
        Thread admin = new Thread(() -> {
            try {
                running.await();
                transcode.cancel(true);                                        // cancels the operation too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "admin");
        admin.start();
        try {
            transcode.join();
        } catch (OperationCanceledException e) {
            System.out.println("transcode canceled from thread 'admin': " + e.getReason());
        }
        admin.join();
    }
}

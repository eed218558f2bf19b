package dev.cancelable.examples.java;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.source.AnyOfSource;
import dev.cancelable.source.ConditionSource;
import dev.cancelable.source.TimeoutSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Several sources on one operation: whichever fires first cancels it, with its own reason. Sources
 * made elsewhere combine the same way.
 */
public final class CombinedSourcesExample {
    private CombinedSourcesExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:combine
        CancellationToken userStop = new CancellationToken();
        Operation upload = Cancelables.operation("upload")
                .timeout(Duration.ofSeconds(5))
                .token(userStop)
                .build();
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)
                .execute(() -> userStop.cancel(CancellationReason.MANUAL, "user closed the tab"));
        try {
            upload.call(ctx -> {
                ctx.sleep(Duration.ofSeconds(10));
                return null;
            });
        } catch (OperationCanceledException e) {
            System.out.println(upload.getName() + ": " + e.getReason() + " - " + e.getMessage());   // the token was first
        }
        // endregion

        long started = System.nanoTime();
        Operation budget = Cancelables.operation("budget")
                .source(new AnyOfSource(
                        new TimeoutSource(Duration.ofSeconds(5)),
                        new TimeoutSource(Duration.ofMillis(300)),   // the earliest deadline wins, in any order
                        new ConditionSource(() -> false, Duration.ofMillis(50), "never")))
                .build();
        Object result;
        CancellationReason reason = null;
        try {
            result = budget.call(ctx -> {
                ctx.sleep(Duration.ofSeconds(10));
                return "done";
            });
        } catch (OperationCanceledException e) {
            result = null;
            reason = e.getReason();
        }
        System.out.println("budget: result=" + result + ", " + reason + " after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }
}

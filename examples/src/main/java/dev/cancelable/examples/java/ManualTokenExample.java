package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.facade.Cancelables;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** One token, the stop button, cancels two running operations at once; it fires once, and links. */
public final class ManualTokenExample {
    private ManualTokenExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:token
        CancellationToken stop = new CancellationToken();
        stop.onCancel(token -> System.out.println("token callback: " + token.getReason() + " - " + token.getMessage()));

        CompletableFuture<Integer> users = importTable("users", stop);
        CompletableFuture<Integer> orders = importTable("orders", stop);
        Thread.sleep(scaled(Duration.ofMillis(300)).toMillis());
        System.out.println("first cancel: " + stop.cancel(CancellationReason.MANUAL, "user pressed stop"));
        System.out.println("second cancel: " + stop.cancel());         // a token is canceled once
        System.out.println("rows imported: " + (users.join() + orders.join()));
        // endregion

        CancellationToken linked = CancellationToken.linked(stop);           // canceled with any of its parents
        System.out.println("linked token: canceled=" + linked.isCanceled() + ", reason=" + linked.getReason());
    }

    static CompletableFuture<Integer> importTable(String table, CancellationToken stop) {
        AtomicInteger rows = new AtomicInteger();
        return Cancelables.operation("import-" + table).token(stop).build()
                .runAsync(ctx -> {
                    while (true) {
                        ctx.sleep(scaled(Duration.ofMillis(50)));
                        rows.addAndGet(100);
                    }
                })
                .handle((ignored, error) -> {
                    if (error instanceof CanceledManuallyException) {
                        CanceledManuallyException e = (CanceledManuallyException) error;
                        System.out.println("import-" + table + " canceled after " + rows.get() + " rows: "
                                + e.getReason() + " - " + e.getMessage());
                    }
                    return rows.get();
                });
    }
}

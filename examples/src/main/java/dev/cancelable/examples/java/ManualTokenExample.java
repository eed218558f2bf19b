package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import dev.cancelable.CancelationReason;
import dev.cancelable.CancelationToken;
import dev.cancelable.ManualCancelation;
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
        CancelationToken stop = new CancelationToken();
        stop.onCancel(token -> System.out.println("token callback: " + token.getReason() + " - " + token.getMessage()));

        CompletableFuture<Integer> users = importTable("users", stop);
        CompletableFuture<Integer> orders = importTable("orders", stop);
        Thread.sleep(scaled(Duration.ofMillis(300)).toMillis());
        System.out.println("first cancel: " + stop.cancel(CancelationReason.MANUAL, "user pressed stop"));
        System.out.println("second cancel: " + stop.cancel());         // a token is canceled once
        System.out.println("rows imported: " + (users.join() + orders.join()));
        // endregion

        CancelationToken linked = CancelationToken.linked(stop);           // canceled with any of its parents
        System.out.println("linked token: canceled=" + linked.isCanceled() + ", reason=" + linked.getReason());
    }

    static CompletableFuture<Integer> importTable(String table, CancelationToken stop) {
        AtomicInteger rows = new AtomicInteger();
        return Cancelables.operation("import-" + table).token(stop).build()
                .runAsync(ctx -> {
                    while (true) {
                        ctx.sleep(scaled(Duration.ofMillis(50)));
                        rows.addAndGet(100);
                    }
                })
                .handle((ignored, error) -> {
                    if (error instanceof ManualCancelation) {
                        ManualCancelation e = (ManualCancelation) error;
                        System.out.println("import-" + table + " canceled after " + rows.get() + " rows: "
                                + e.getReason() + " - " + e.getMessage());
                    }
                    return rows.get();
                });
    }
}

package dev.cancelable.examples.java;

import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.facade.Cancelables;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** One token, the stop button, cancels two running operations at once; it fires once, and links. */
public final class ManualTokenExample {
    private ManualTokenExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:token
        CancellationToken stop = new CancellationToken();
        stop.onCancelRequested(token -> System.out.println("token callback: " + token.getReason() + " - " + token.getMessage()));

        List<CompletableFuture<Integer>> imports = new ArrayList<>();
        for (String table : List.of("users", "orders")) {
            AtomicInteger rows = new AtomicInteger();
            imports.add(Cancelables.operation("import-" + table).token(stop).build()
                    .runAsync(ctx -> {
                        while (true) {
                            ctx.sleep(Duration.ofMillis(50));
                            rows.addAndGet(100);
                        }
                    })
                    .handle((ignored, error) -> {
                        if (error instanceof CanceledManuallyException e) {
                            System.out.println("import-" + table + " canceled after " + rows.get() + " rows: "
                                    + e.getReason() + " - " + e.getMessage());
                        }
                        return rows.get();
                    }));
        }
        Thread.sleep(300);
        System.out.println("first cancel: " + stop.cancel(CancellationReason.MANUAL, "user pressed stop"));
        System.out.println("second cancel: " + stop.cancel());         // a token is canceled once
        System.out.println("rows imported: " + imports.stream().mapToInt(CompletableFuture::join).sum());
        // endregion

        CancellationToken linked = new CancellationToken(List.of(stop), false, Clock.systemUTC());   // canceled with any of its parents
        System.out.println("linked token: canceled=" + linked.isCanceled() + ", reason=" + linked.getReason());
    }
}

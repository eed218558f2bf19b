package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.facade.Cancelables;
import java.time.Duration;
import java.util.concurrent.Callable;

/** A timeout helper around code that knows nothing of cancellation, and a fallback when it is late. */
public final class TimeoutHelperExample {
    private TimeoutHelperExample() {
    }

    // region readme:timeout-helper-java
    /** Runs {@code task} on this thread; interrupted and {@code CanceledByTimeoutException} after {@code timeout}. */
    static <T> T withTimeout(Duration timeout, String name, Callable<T> task) throws Exception {
        return Cancelables.operation(name).timeout(timeout).build().call(ctx -> task.call());
    }

    /** Existing code: a quote service with some latency. */
    static double fetchPrice(String symbol, Duration latency) throws InterruptedException {
        Thread.sleep(latency.toMillis());
        return symbol.equals("ACME") ? 42.0 : 17.5;
    }
    // endregion

    public static void main(String[] args) throws Exception {
        // region readme:timeout-helper
        double acme = withTimeout(Duration.ofSeconds(2), "price-ACME",
                () -> fetchPrice("ACME", Duration.ofMillis(50)));
        System.out.println("ACME: " + acme);

        try {
            withTimeout(Duration.ofMillis(300), "price-SLOW", () -> fetchPrice("SLOW", Duration.ofSeconds(10)));
        } catch (CanceledByTimeoutException e) {
            System.out.println("SLOW: " + e.getReason() + ", budget " + e.getTimeout().toMillis() + " ms, operation "
                    + e.getSnapshot().getName() + " " + e.getSnapshot().getStatus());
        }

        double lazy;
        try {
            lazy = withTimeout(Duration.ofMillis(200), "price-LAZY", () -> fetchPrice("LAZY", Duration.ofSeconds(10)));
        } catch (CanceledByTimeoutException e) {
            lazy = 40.0;                                          // the fallback
        }
        System.out.println("LAZY: " + lazy + " (fallback)");
        // endregion
    }
}

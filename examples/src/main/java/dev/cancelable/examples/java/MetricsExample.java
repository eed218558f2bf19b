package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.micrometer.OperationMetrics;
import dev.cancelable.registry.OperationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;

/**
 * Operations exported to Micrometer's Prometheus registry: durations by outcome, cancels by reason,
 * live operations and progress reports, per operation name; then the scrape text a Prometheus server
 * would read from {@code /metrics}.
 */
public final class MetricsExample {
    private MetricsExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:metrics
        OperationRegistry operations = new OperationRegistry();   // or OperationRegistry.getGlobal(), the default
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperationMetrics metrics = OperationMetrics.builder()
                .registry(operations)
                .nameNormalizer(name -> name.split(" ")[0])          // "sync-orders 17" is counted as "sync-orders"
                .maxNames(20)                                        // beyond 20 names: operation="other"
                .build();
        metrics.bindTo(prometheus);                                  // or Metrics.globalRegistry

        for (int i = 1; i <= 3; i++) {
            int page = i;
            Cancelables.operation("sync-orders " + page).registry(operations).build().call(ctx -> {
                ctx.sleep(Duration.ofMillis(10));
                ctx.reportProgress("page " + page + " done");
                return null;
            });
        }
        try {
            Cancelables.operation("sync-orders 4").timeout(Duration.ofMillis(20)).registry(operations).build()
                    .call(ctx -> { ctx.sleep(Duration.ofSeconds(1)); return null; });
        } catch (CanceledByTimeoutException expected) {
            // counted: status="canceled", reason="timeout"
        }
        try {
            Cancelables.operation("build-report").registry(operations).build().call(ctx -> {
                ctx.cancel(CancellationReason.MANUAL, "user closed the page");
                ctx.throwIfCanceled();
                return null;
            });
        } catch (OperationCanceledException expected) {
            // counted: status="canceled", reason="manual"
        }
        try {
            Cancelables.operation("import-csv").registry(operations).build().call(ctx -> {
                throw new IllegalStateException("bad row 7");
            });
        } catch (IllegalStateException expected) {
            // counted: status="failed", reason="none"
        }

        prometheus.scrape().lines().filter(line -> line.startsWith("cancelable_")).forEach(System.out::println);
        metrics.close();                                             // removes its meters and its listener
        System.out.println("after close: " + prometheus.getMeters().size() + " meters");
        // endregion
    }
}

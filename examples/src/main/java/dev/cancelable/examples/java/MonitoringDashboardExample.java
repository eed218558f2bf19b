package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.examples.support.DashboardView;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.registry.OperationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live dashboard over a registry while simulated workloads come and go: the registry's listing,
 * statistics and JMX view. The dashboard is an operation too: Ctrl-C stops it, or a condition after
 * five frames, and with it every workload it started (reason PARENT).
 */
public final class MonitoringDashboardExample {
    private MonitoringDashboardExample() {
    }

    public static void main(String[] args) throws Exception {
        OperationRegistry registry = new OperationRegistry(500);
        List<CompletableFuture<?>> workloads = new ArrayList<>();
        // region readme:dashboard
        AtomicInteger frames = new AtomicInteger();
        Operation dashboard = Cancelables.operation("dashboard").noRegistry()
                .signals()                                                   // Ctrl-C stops it
                .condition(() -> frames.get() >= 5, scaled(Duration.ofMillis(50)), "five_frames")   // or five frames
                .build();
        AutoCloseable jmx = registry.exposeJmx("dashboard");                 // visible in jconsole meanwhile
        try {
            dashboard.call(ctx -> {
                Random random = new Random(7);
                for (int tick = 1; ; tick++) {
                    ctx.sleep(scaled(Duration.ofMillis(60)));
                    workloads.add(startWorkload(registry, random, tick));   // children of the dashboard
                    if (tick % 5 == 0) {
                        DashboardView.frame(registry, "frame " + frames.incrementAndGet(), "dashboard").forEach(System.out::println);
                    }
                }
            });
        } catch (OperationCanceledException e) {
            System.out.println("dashboard stopped: " + e.getReason() + " - " + e.getMessage());
        } finally {
            jmx.close();
        }
        // endregion
        CompletableFuture.allOf(workloads.stream().map(f -> f.handle((value, error) -> null)).toArray(CompletableFuture<?>[]::new)).join();
        DashboardView.frame(registry, "final", null).forEach(System.out::println);
    }

    /** API calls that sometimes fail, batch jobs, downloads with a deadline. */
    private static CompletableFuture<?> startWorkload(OperationRegistry registry, Random random, int n) {
        int kind = random.nextInt(3);
        Duration work = scaled(Duration.ofMillis(50 + random.nextInt(400)));
        boolean fails = random.nextDouble() < 0.2;
        switch (kind) {
            case 0:
                return Cancelables.operation("api-call /orders/" + n).registry(registry).build().supplyAsync(ctx -> {
                    ctx.sleep(work);
                    if (fails) {
                        throw new IOException("upstream 503");
                    }
                    return null;
                });
            case 1:
                return Cancelables.operation("batch dataset_" + n).registry(registry).build().runAsync(ctx -> {
                    for (int step = 1; step <= 4; step++) {
                        ctx.sleep(work.dividedBy(4));
                        ctx.reportProgress("batch " + n + " step " + step + "/4");
                    }
                });
            default:
                return Cancelables.operation("download file_" + n).registry(registry)
                        .timeout(scaled(Duration.ofMillis(200))).build()
                        .runAsync(ctx -> ctx.sleep(work));
        }
    }
}

package dev.cancelable.examples.java;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.examples.support.DashboardView;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.RegistryStatistics;
import java.time.Clock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.management.ObjectName;

/**
 * A live dashboard over a registry while simulated workloads come and go: the registry's listing,
 * statistics and JMX view. The dashboard is an operation too: Ctrl-C stops it, or a condition after
 * five frames, and with it every workload it started (reason PARENT).
 */
public final class MonitoringDashboardExample {
    private MonitoringDashboardExample() {
    }

    public static void main(String[] args) throws Exception {
        OperationRegistry registry = new OperationRegistry(500, Clock.systemUTC(), 0);
        List<CompletableFuture<?>> workloads = new ArrayList<>();
        Random random = new Random(7);
        dashboard(registry, tick -> workloads.add(startWorkload(registry, random, tick)));
        CompletableFuture.allOf(workloads.stream().map(f -> f.handle((value, error) -> null)).toArray(CompletableFuture<?>[]::new)).join();
        DashboardView.frame(registry, "final", null).forEach(System.out::println);
    }

    // region readme:dashboard
    /** Shows {@code registry} every 100 ms until Ctrl-C or five frames, calling {@code tick} every 20 ms to start work as its child. */
    static void dashboard(OperationRegistry registry, IntConsumer tick) throws Exception {
        AtomicInteger frames = new AtomicInteger();
        Operation dashboard = Cancelables.operation("dashboard").noRegistry()   // not one of the operations it shows
                .signals()                                                   // Ctrl-C stops it
                .condition(() -> frames.get() >= 5, Duration.ofMillis(50), "five_frames")   // or five frames
                .build();
        ObjectName jmxName = new ObjectName("dev.cancelable:type=OperationRegistry,name=dashboard");
        AutoCloseable jmx = registry.exposeJmx("dashboard");                 // visible in jconsole meanwhile
        try {
            dashboard.call(ctx -> {
                for (int n = 1; ; n++) {
                    ctx.sleep(Duration.ofMillis(20));
                    tick.accept(n);                                          // work started here is a child of the dashboard
                    if (n % 5 == 0) {
                        RegistryStatistics stats = registry.statistics();
                        Object jmxCount = ManagementFactory.getPlatformMBeanServer().getAttribute(jmxName, "ActiveCount");
                        System.out.println("--- frame " + frames.incrementAndGet() + ": " + stats.getActiveCount() + " running, "
                                + stats.getHistorySize() + " finished " + stats.getHistoryByStatus() + " | JMX ActiveCount=" + jmxCount);
                        registry.list().stream().limit(3).forEach(op ->
                                System.out.println("  " + op.getStatus() + " " + op.getName() + ", " + op.getDuration().toMillis() + " ms"));
                    }
                }
            });
        } catch (OperationCanceledException e) {
            System.out.println("dashboard stopped: " + e.getReason() + " - " + e.getMessage());
        } finally {
            jmx.close();
        }
    }
    // endregion

    /** API calls that sometimes fail, batch jobs, downloads with a deadline. */
    private static CompletableFuture<?> startWorkload(OperationRegistry registry, Random random, int n) {
        int kind = random.nextInt(3);
        Duration work = Duration.ofMillis(20 + random.nextInt(150));
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
                        .timeout(Duration.ofMillis(60)).build()
                        .runAsync(ctx -> ctx.sleep(work));
        }
    }
}

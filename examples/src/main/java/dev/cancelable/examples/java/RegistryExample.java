package dev.cancelable.examples.java;

import dev.cancelable.CancellationReason;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.registry.OperationFilter;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import dev.cancelable.registry.RegistryStatistics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** The registry: find live operations by name, status or id, cancel one or many, read history and statistics. */
public final class RegistryExample {
    private RegistryExample() {
    }

    // region readme:registry
    /** Lists what runs in {@code registry}, then cancels one operation by id and a user's by name pattern. */
    static void cancelUserWork(OperationRegistry registry) {
        System.out.println("live: " + registry.list().stream().map(OperationSnapshot::getName).toList());
        List<OperationSnapshot> user123 = registry.list(new OperationFilter().namePattern("user_123_*"));
        System.out.println("user_123_*: " + user123.stream().map(OperationSnapshot::getName).toList());
        System.out.println("running: " + registry.list(new OperationFilter().status(OperationStatus.RUNNING)).size());

        String id = registry.list(new OperationFilter().namePattern("user_456_export")).get(0).getId();
        System.out.println("cancel by id: " + registry.cancel(id, CancellationReason.MANUAL, "quota exceeded"));
        System.out.println("cancel unknown id: " + registry.cancel("no-such-id"));
        System.out.println("cancelAll user_123_*: " + registry.cancelAll(
                new OperationFilter().namePattern("user_123_*"), CancellationReason.MANUAL, "user logged out"));
    }
    // endregion

    public static void main(String[] args) throws Exception {
        OperationRegistry registry = new OperationRegistry(100, Clock.systemUTC(), 0);   // private; OperationRegistry.getGlobal() is the default
        Cancelables.operation("warm-up").registry(registry).build().call(ctx -> "ready");
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        for (String name : List.of("user_123_export", "user_123_import", "user_456_export")) {
            CountDownLatch running = new CountDownLatch(1);
            jobs.add(Cancelables.operation(name).registry(registry)
                    .onStart(ctx -> running.countDown())
                    .build()
                    .runAsync(ctx -> ctx.sleep(Duration.ofHours(1)))
                    .exceptionally(error -> {
                        if (error instanceof OperationCanceledException e) {
                            System.out.println(name + " ended: " + e.getReason() + " - " + e.getMessage());
                        }
                        return null;
                    }));
            running.await();     // one after the other, so the listing below is in this order
        }

        cancelUserWork(registry);
        CompletableFuture.allOf(jobs.toArray(new CompletableFuture<?>[0])).join();

        List<String> history = registry.history().stream()
                .sorted(Comparator.comparing(OperationSnapshot::getName))
                .map(s -> s.getName() + "=" + s.getStatus())
                .toList();
        System.out.println("history: " + history);
        RegistryStatistics stats = registry.statistics();
        System.out.println("statistics: active=" + stats.getActiveCount() + ", history=" + stats.getHistorySize()
                + ", canceled=" + stats.getHistoryByStatus().get(OperationStatus.CANCELED)
                + ", completed=" + stats.getCompletedCount());
    }
}

package dev.cancelable.micrometer;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.registry.OperationRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binder from Java: every builder method, facade operations on threads, unbinding. */
class OperationMetricsJavaTest {

    @Test
    void javaBuildsBindsAndUnbindsTheBinderAroundFacadeOperations_scenario178() throws Exception {
        OperationRegistry operations = new OperationRegistry();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OperationMetrics metrics = OperationMetrics.builder()
                .registry(operations)
                .nameNormalizer(name -> name.startsWith("order-") ? "order" : name)
                .allowNames(List.of("order", "refund"))
                .maxNames(10)
                .tags(List.of(Tag.of("region", "eu")))
                .tag("app", "shop")
                .build();
        metrics.bindTo(meters);

        Operation order = Cancelables.operation("order-17").registry(operations).build();
        assertEquals(3, (int) order.call(ctx -> {
            ctx.reportProgress("paid");
            return 3;
        }));

        // A refund canceled from another thread while it waits: counted under its reason.
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> refund = Cancelables.operation("refund").registry(operations).build().supplyAsync(ctx -> {
            running.countDown();
            ctx.sleep(java.time.Duration.ofMinutes(1));
            return null;
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertEquals(1.0, meters.get(OperationMetrics.ACTIVE).tags("operation", "refund").gauge().value());
        assertEquals(1, operations.cancelAll(new dev.cancelable.registry.OperationFilter().namePattern("refund")));
        assertThrows(Exception.class, () -> refund.get(10, TimeUnit.SECONDS));
        // The future completes as the cancel is requested; the operation records its end just after.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (operations.getActiveCount() > 0 && System.nanoTime() < deadline) Thread.onSpinWait();

        assertEquals(1, meters.get(OperationMetrics.DURATION)
                .tags("operation", "order", "status", "completed", "reason", "none", "app", "shop", "region", "eu").timer().count());
        assertEquals(1.0, meters.get(OperationMetrics.CANCELS).tags("operation", "refund", "reason", "manual").counter().count());
        assertEquals(1.0, meters.get(OperationMetrics.PROGRESS).tags("operation", "order").counter().count());
        assertEquals(0.0, meters.get(OperationMetrics.ACTIVE).tags("operation", "refund").gauge().value());
        assertEquals(2, metrics.getNameCount());

        metrics.unbind();
        assertTrue(meters.getMeters().isEmpty());
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(meters));
        assertThrows(IllegalArgumentException.class, () -> OperationMetrics.builder().maxNames(-1));
        assertTrue(OperationCanceledException.class.isAssignableFrom(dev.cancelable.CanceledManuallyException.class));
    }
}

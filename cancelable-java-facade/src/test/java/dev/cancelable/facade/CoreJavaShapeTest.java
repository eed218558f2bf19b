package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CancelationReason;
import dev.cancelable.CancelationToken;
import dev.cancelable.ConditionCancelation;
import dev.cancelable.ManualCancelation;
import dev.cancelable.OperationStatus;
import dev.cancelable.ParentCancelation;
import dev.cancelable.TimeoutCancelation;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import dev.cancelable.registry.RegistryStatistics;
import dev.cancelable.source.AllOfSource;
import dev.cancelable.source.AnyOfSource;
import dev.cancelable.source.ConditionSource;
import dev.cancelable.source.TimeoutSource;
import dev.cancelable.source.TokenSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kotlinx.coroutines.DisposableHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The core's tokens, registry, snapshots, exceptions and sources, used from Java as they are. */
@Timeout(20)
class CoreJavaShapeTest {

    @Test
    void tokensAreUsableFromJava() {
        CancelationToken t1 = new CancelationToken();
        CancelationToken t2 = new CancelationToken();
        assertFalse(t1.isCanceled());
        assertNull(t1.getReason());
        assertNotEquals(t1, t2);
        CancelationToken linked = CancelationToken.linked(t1, t2);
        CancelationToken preserving = CancelationToken.linked(List.of(t1), true);
        List<String> seen = new ArrayList<>();
        DisposableHandle handle = linked.onCancel(t -> seen.add(t.getReason() + ":" + t.getMessage()));
        assertTrue(t1.cancel(CancelationReason.MANUAL, "Test cancelation"));
        assertFalse(t1.cancel());
        handle.dispose();
        assertEquals(CancelationReason.PARENT, linked.getReason());
        assertEquals(1, seen.size());
        assertEquals(CancelationReason.MANUAL, preserving.getReason());
        assertEquals("Test cancelation", preserving.getMessage());
        assertTrue(t1.isCancelationRequested());
        assertTrue(t1.getCanceledAt() != null);
        ManualCancelation e = assertThrows(ManualCancelation.class, t1::throwIfCanceled);
        assertTrue(e.getMessage().contains("Test cancelation"));
        assertTrue(t2.toString().contains("active"));
        t2.close();
        assertEquals(CancelationReason.TIMEOUT, CancelationReason.fromValue("timeout"));
        assertEquals(OperationStatus.CANCELED, OperationStatus.fromValue("canceled"));
    }

    @Test
    void registriesAndSnapshotsAreUsableFromJava() throws Exception {
        assertSame(OperationRegistry.getGlobal(), OperationRegistry.getGlobal());
        OperationRegistry registry = new OperationRegistry(10);
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<String> id = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                Cancelables.operation("user_123_job").registry(registry).build().call(ctx -> {
                    id.set(ctx.id());
                    running.countDown();
                    ctx.sleep(Duration.ofSeconds(30));
                    return null;
                });
            } catch (Exception expected) {
                // canceled below
            }
        });
        worker.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        List<OperationSnapshot> listed = registry.list(OperationStatus.RUNNING, null, "user_123_*");
        assertEquals(1, listed.size());
        assertEquals(id.get(), listed.get(0).getId());
        assertEquals(1, registry.list().size());
        assertTrue(registry.get(id.get()) != null);
        RegistryStatistics stats = registry.statistics();
        assertEquals(1, stats.getActiveCount());
        assertEquals(1, registry.cancelAll(OperationStatus.RUNNING, "user_123_*"));
        worker.join(10_000);
        OperationSnapshot done = registry.history(1).get(0);
        assertEquals(OperationStatus.CANCELED, done.getStatus());
        assertEquals("Bulk cancelation", done.getCancelMessage());
        assertFalse(registry.cancel("unknown"));
        assertEquals(1, registry.cleanupCompleted());
        assertThrows(NoSuchFieldException.class, () -> OperationSnapshot.class.getField("Companion"),
                "no Companion for Java callers to trip over");
    }

    @Test
    void theExceptionFamilyIsConstructibleFromJava() {
        assertEquals("Operation timed out after 5.0s", new TimeoutCancelation(null, Duration.ofSeconds(5)).getMessage());
        assertEquals("Operation canceled manually", new ManualCancelation().getMessage());
        assertEquals("Operation canceled: condition met", new ConditionCancelation().getMessage());
        assertEquals("Operation canceled: parent p1 was canceled", new ParentCancelation(null, "p1").getMessage());
    }

    @Test
    void timeoutAndConditionSourcesTakeJavaTypesAndCompose() throws Exception {
        CancelationToken token = new CancelationToken();
        TimeoutSource timeout = new TimeoutSource(Duration.ofMillis(50));
        ConditionSource never = new ConditionSource(() -> false, Duration.ofMillis(10));
        AnyOfSource any = new AnyOfSource(new TokenSource(token), timeout, never);
        TimeoutCancelation e = assertThrows(TimeoutCancelation.class,
                () -> Cancelables.operation("composed").noRegistry().source(any).build().call(ctx -> {
                    ctx.sleep(Duration.ofSeconds(30));
                    return null;
                }));
        assertEquals(CancelationReason.TIMEOUT, e.getReason());
        assertSame(timeout, any.getFiredSource());

        AllOfSource all = new AllOfSource(new ConditionSource(() -> true, Duration.ofMillis(10), "ready"),
                new TimeoutSource(Duration.ofMillis(20)));
        assertThrows(TimeoutCancelation.class,
                () -> Cancelables.operation("all").noRegistry().source(all).build().call(ctx -> {
                    ctx.sleep(Duration.ofSeconds(30));
                    return null;
                }));
        Operation expired = Cancelables.operation("expired").noRegistry().source(new TimeoutSource(Duration.ZERO)).build();
        assertThrows(TimeoutCancelation.class, () -> expired.call(ctx -> {
            throw new AssertionError("an expired timeout's task never runs");
        }));
        assertThrows(IllegalArgumentException.class, () -> new ConditionSource(() -> true, Duration.ofSeconds(-1)));
    }
}

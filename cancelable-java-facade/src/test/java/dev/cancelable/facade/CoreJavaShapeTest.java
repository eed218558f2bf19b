package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CanceledByConditionException;
import dev.cancelable.CanceledByParentException;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationStatus;
import dev.cancelable.registry.OperationFilter;
import dev.cancelable.registry.OperationListener;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import dev.cancelable.registry.RegistryStatistics;
import dev.cancelable.source.AllOfSource;
import dev.cancelable.source.AnyOfSource;
import dev.cancelable.source.ConditionSource;
import dev.cancelable.source.TimeoutSource;
import dev.cancelable.source.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        CancellationToken t1 = new CancellationToken();
        CancellationToken t2 = new CancellationToken();
        assertFalse(t1.isCanceled());
        assertNull(t1.getReason());
        assertNotEquals(t1, t2);
        CancellationToken linked = new CancellationToken(List.of(t1, t2), false, Clock.systemUTC());
        CancellationToken preserving = new CancellationToken(List.of(t1), true, Clock.systemUTC());
        List<String> seen = new ArrayList<>();
        DisposableHandle handle = linked.onCancelRequested(t -> seen.add(t.getReason() + ":" + t.getMessage()));
        assertTrue(t1.cancel(CancellationReason.MANUAL, "Test cancellation"));
        assertFalse(t1.cancel());
        handle.dispose();
        assertEquals(CancellationReason.PARENT, linked.getReason());
        assertEquals(1, seen.size());
        assertEquals(CancellationReason.MANUAL, preserving.getReason());
        assertEquals("Test cancellation", preserving.getMessage());
        assertTrue(t1.isCanceled());
        assertTrue(t1.getCanceledAt() != null);
        CanceledManuallyException e = assertThrows(CanceledManuallyException.class, t1::throwIfCanceled);
        assertTrue(e.getMessage().contains("Test cancellation"));
        assertTrue(t2.toString().contains("active"));
        t2.close();
        assertEquals("timeout", CancellationReason.TIMEOUT.toString());
        assertEquals(OperationStatus.CANCELED, OperationStatus.valueOf("canceled".toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void registriesAndSnapshotsAreUsableFromJava() throws Exception {
        assertSame(OperationRegistry.getGlobal(), OperationRegistry.getGlobal());
        OperationRegistry registry = new OperationRegistry(10, Clock.systemUTC(), 0);
        List<String> finished = new CopyOnWriteArrayList<>();
        AutoCloseable listening = registry.addListener(new OperationListener() {
            @Override
            public void onFinished(OperationSnapshot snapshot) {
                finished.add(snapshot.getName());
            }
        });
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<String> id = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                Cancelables.operation("user_123_job").registry(registry).build().call(ctx -> {
                    id.set(ctx.getId());
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
        OperationFilter runningJobs = new OperationFilter().status(OperationStatus.RUNNING).namePattern("user_123_*");
        List<OperationSnapshot> listed = registry.list(runningJobs);
        assertEquals(1, listed.size());
        assertEquals(id.get(), listed.get(0).getId());
        assertEquals(1, registry.list().size());
        assertTrue(registry.get(id.get()) != null);
        RegistryStatistics stats = registry.statistics();
        assertEquals(1, stats.getActiveCount());
        assertEquals(1, registry.cancelAll(runningJobs));
        worker.join(10_000);
        assertEquals(List.of("user_123_job"), finished);
        listening.close();
        OperationSnapshot done = registry.history().get(0);
        assertEquals(OperationStatus.CANCELED, done.getStatus());
        assertEquals("Bulk cancellation", done.getCancelMessage());
        assertFalse(registry.cancel("unknown"));
        assertEquals(1, registry.cleanupCompleted());
        assertThrows(NoSuchFieldException.class, () -> OperationSnapshot.class.getField("Companion"),
                "no Companion for Java callers to trip over");
    }

    @Test
    void theExceptionFamilyIsConstructibleFromJava() {
        assertEquals("Operation timed out after 5.0s", new CanceledByTimeoutException(null, Duration.ofSeconds(5), null).getMessage());
        assertEquals("Operation canceled manually", new CanceledManuallyException(null, null).getMessage());
        assertEquals("Operation canceled: condition met", new CanceledByConditionException(null, null, null).getMessage());
        assertEquals("Operation canceled: parent p1 was canceled", new CanceledByParentException(null, "p1", null).getMessage());
    }

    @Test
    void timeoutAndConditionSourcesTakeJavaTypesAndCompose() throws Exception {
        CancellationToken token = new CancellationToken();
        TimeoutSource timeout = new TimeoutSource(Duration.ofMillis(50));
        ConditionSource never = new ConditionSource(() -> false, Duration.ofMillis(10));
        AnyOfSource any = new AnyOfSource(new TokenSource(token), timeout, never);
        CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class,
                () -> Cancelables.operation("composed").noRegistry().source(any).build().call(ctx -> {
                    ctx.sleep(Duration.ofSeconds(30));
                    return null;
                }));
        assertEquals(CancellationReason.TIMEOUT, e.getReason());
        assertSame(timeout, any.getFiredSource());

        AllOfSource all = new AllOfSource(new ConditionSource(() -> true, Duration.ofMillis(10), "ready"),
                new TimeoutSource(Duration.ofMillis(20)));
        assertThrows(CanceledByTimeoutException.class,
                () -> Cancelables.operation("all").noRegistry().source(all).build().call(ctx -> {
                    ctx.sleep(Duration.ofSeconds(30));
                    return null;
                }));
        Operation expired = Cancelables.operation("expired").noRegistry().source(new TimeoutSource(Duration.ZERO)).build();
        assertThrows(CanceledByTimeoutException.class, () -> expired.call(ctx -> {
            throw new AssertionError("an expired timeout's task never runs");
        }));
        assertThrows(IllegalArgumentException.class, () -> new ConditionSource(() -> true, Duration.ofSeconds(-1)));
    }
}

package dev.cancelable.facade.invocation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.registry.OperationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-invocation model: ids from the thread, and a cancel request that raises once per request. */
@Timeout(20)
class InvocationsTest {
    private final OperationRegistry registry = new OperationRegistry();

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, registry.getActiveCount());
        assertFalse(Thread.interrupted());
    }

    private Operation action() {
        return Cancelables.operation("action").registry(registry).build();
    }

    @Test
    void outsideAnInvocationTheIdFailsClearlyAndTheRestDoesNothing() throws Exception {
        NoInvocationContextException e = assertThrows(NoInvocationContextException.class, Invocations::currentId);
        assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e);
        assertFalse(Invocations.isCancelRequested());
        assertDoesNotThrow(Invocations::raiseIfCancelRequested);
        Invocations.sleep(Duration.ofMillis(1)); // a plain sleep
        assertFalse(Invocations.requestCancel("no-such-invocation"));
        assertFalse(Invocations.requestCancel(registry, "no-such-invocation"));
    }

    @Test
    void theInvocationIdIsTheIdOfTheOperationTheThreadRuns() throws Exception {
        String seen = action().call(ctx -> {
            assertEquals(ctx.getId(), Invocations.currentId());
            return Invocations.currentId();
        });
        assertEquals(registry.history().get(0).getId(), seen);
    }

    @Test
    void withFakeIdRunsUnderAFreshIdAndRestoresThePreviousOne() throws Exception {
        List<String> ids = new ArrayList<>();
        Invocations.withFakeId(outer -> {
            ids.add(Invocations.currentId());
            Invocations.withFakeId(inner -> ids.add(Invocations.currentId()));
            ids.add(Invocations.currentId());
            return null;
        });
        assertEquals(3, ids.size());
        assertNotEquals(ids.get(0), ids.get(1), "each fake invocation gets a fresh id");
        assertEquals(ids.get(0), ids.get(2), "the previous id is back after the inner one");
        assertThrows(NoInvocationContextException.class, Invocations::currentId);
    }

    @Test
    @DisplayName("each request raises exactly once, so the action can carry on [scenario 121]")
    void eachRequestRaisesExactlyOnceSoTheActionCanCarryOn() throws Exception {
        String result = action().call(ctx -> {
            assertTrue(Invocations.requestCancel(registry, ctx.getId()));
            assertTrue(Invocations.isCancelRequested());
            InvocationCanceledException e = assertThrows(InvocationCanceledException.class,
                    Invocations::raiseIfCancelRequested);
            assertEquals(ctx.getId(), e.getOperationId());
            assertEquals(CancellationReason.MANUAL, e.getReason());
            assertFalse(Invocations.isCancelRequested(), "raising reset the request");
            assertDoesNotThrow(Invocations::raiseIfCancelRequested);
            assertFalse(ctx.isCanceled(), "the operation itself was never canceled");
            assertTrue(Invocations.requestCancel(registry, ctx.getId()));
            assertThrows(InvocationCanceledException.class, Invocations::raiseIfCancelRequested);
            return "carried on";
        });
        assertEquals("carried on", result);
        assertEquals(OperationStatus.COMPLETED, registry.history().get(0).getStatus());
    }

    @Test
    void requestsMadeBeforeTheActionLooksCountAsOne() throws Exception {
        action().call(ctx -> {
            Invocations.requestCancel(registry, ctx.getId());
            Invocations.requestCancel(registry, ctx.getId());
            assertThrows(InvocationCanceledException.class, Invocations::raiseIfCancelRequested);
            assertDoesNotThrow(Invocations::raiseIfCancelRequested);
            return null;
        });
    }

    @Test
    void anOperationsCancelIsLatchedWhereAnInvocationsRequestIsNot() throws Exception {
        action().call(ctx -> {
            ctx.cancel(CancellationReason.MANUAL, "latched");
            assertThrows(CanceledManuallyException.class, ctx::throwIfCanceled);
            assertThrows(CanceledManuallyException.class, ctx::throwIfCanceled, "still canceled: a latch");
            return null;
        });
        assertEquals(OperationStatus.COMPLETED, registry.history().get(0).getStatus(),
                "the task caught it and returned");
        assertEquals(CancellationReason.MANUAL, registry.history().get(0).getCancelReason(), "the reason stays");
    }

    @Test
    void aSleepingActionRaisesOnceAtEachRequestFromAnotherThread() throws Exception {
        AtomicReference<String> id = new AtomicReference<>();
        CountDownLatch[] sleeping = {new CountDownLatch(1), new CountDownLatch(1)};
        AtomicInteger raised = new AtomicInteger();
        CompletableFuture<String> f = Cancelables.operation("action").registry(registry).build().supplyAsync(ctx -> {
            id.set(ctx.getId());
            for (CountDownLatch latch : sleeping) {
                try {
                    latch.countDown();
                    Invocations.sleep(Duration.ofSeconds(30));
                } catch (InvocationCanceledException e) {
                    raised.incrementAndGet(); // handled: carry on to the next step
                }
            }
            return "finished after " + raised.get();
        });
        for (CountDownLatch latch : sleeping) {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
            assertTrue(Invocations.requestCancel(registry, id.get()));
        }
        assertEquals("finished after 2", f.get(10, TimeUnit.SECONDS));
        assertEquals(OperationStatus.COMPLETED, registry.history().get(0).getStatus());
    }

    @Test
    void anUnhandledInvocationCancelEndsTheOperationCanceled() throws Exception {
        CompletableFuture<Object> f = action().supplyAsync(ctx -> {
            Invocations.requestCancel(registry, ctx.getId());
            Invocations.raiseIfCancelRequested();
            return "never";
        });
        InvocationCanceledException e = assertThrows(InvocationCanceledException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(f.isCancelled());
        assertEquals(OperationStatus.CANCELED, e.getSnapshot().getStatus());
        assertEquals(CancellationReason.MANUAL, e.getSnapshot().getCancelReason());
    }

    @Test
    void theOperationsOwnCancelStillEndsAnInvocationSleep() {
        assertThrows(CanceledByTimeoutException.class,
                () -> Cancelables.operation("action").registry(registry).timeout(Duration.ofMillis(50))
                        .interruptOnCancel(false).build()
                        .call(ctx -> {
                            Invocations.sleep(Duration.ofSeconds(30));
                            return null;
                        }));
    }

    @Test
    void concurrentRaisersSeeEachRequestExactlyOnce() throws Exception {
        InvocationCancelRequest request = new InvocationCancelRequest();
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                assertTrue(request.request("stop"));
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Boolean>> raisers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    raisers.add(pool.submit(() -> {
                        start.await();
                        try {
                            request.raiseIfRequested(null);
                            return false;
                        } catch (InvocationCanceledException e) {
                            return true;
                        }
                    }));
                }
                int raisedCount = 0;
                for (Future<Boolean> r : raisers) {
                    raisedCount += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, raisedCount, "round " + round);
                assertFalse(request.isRequested());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a cancel requested while the invocation waits for its thread is honoured when it runs [scenario 121]")
    void aCancelRequestedWhileTheInvocationWaitsForItsThreadIsHonouredWhenItRuns() throws Exception {
        List<Runnable> waiting = new ArrayList<>();
        Operation action = Cancelables.operation("action").id("inv-42").registry(registry).build();
        AtomicReference<String> seen = new AtomicReference<>();
        CompletableFuture<String> invocation = action.supplyAsync(ctx -> {
            try {
                Invocations.raiseIfCancelRequested();
                return "not canceled";
            } catch (InvocationCanceledException e) {
                seen.set(e.getMessage());
                return "stopped on request";
            }
        }, waiting::add);
        assertTrue(Invocations.requestCancel(registry, "inv-42"), "the invocation exists from the start");
        assertEquals(1, waiting.size());
        waiting.get(0).run(); // its thread frees up only now
        assertEquals("stopped on request", invocation.get(10, TimeUnit.SECONDS));
        assertEquals("Invocation inv-42 was canceled on request", seen.get());
        assertFalse(Invocations.requestCancel(registry, "inv-42"), "once ended, it is gone");
    }
}

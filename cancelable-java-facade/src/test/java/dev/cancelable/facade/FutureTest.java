package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CanceledByParentException;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.OperationContext;
import dev.cancelable.OperationStatus;
import dev.cancelable.registry.OperationFilter;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Operation#supplyAsync} and {@link Operation#runAsync}: the future and the operation cancel each other. */
@Timeout(20)
class FutureTest {
    private final OperationRegistry registry = new OperationRegistry();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** Counted down by every run's terminal callbacks: the run has ended and left the registry. */
    private final CountDownLatch ended = new CountDownLatch(1);

    @AfterEach
    void nothingLeaks() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "every task ended");
        assertEquals(0, registry.getActiveCount());
    }

    private OperationBuilder op(String name) {
        return Cancelables.operation(name).registry(registry)
                .onCompleted(c -> ended.countDown()).onCanceled(c -> ended.countDown()).onFailed((c, e) -> ended.countDown());
    }

    private OperationSnapshot endedRun() throws InterruptedException {
        assertTrue(ended.await(10, TimeUnit.SECONDS), "the run ended");
        // the terminal callbacks run just before the run leaves the registry
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.history().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return registry.history().get(0);
    }

    @Test
    void cancelTrueInterruptsASleepingTaskPromptly() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CompletableFuture<String> f = op("sleeper").build().supplyAsync(ctx -> {
            sleeping.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return "never";
        }, executor);
        assertTrue(sleeping.await(10, TimeUnit.SECONDS));
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        assertTrue(f.isDone());
        CanceledManuallyException e = assertThrows(CanceledManuallyException.class, f::get);
        assertEquals(CancellationReason.MANUAL, e.getReason());
        assertEquals("Operation canceled through its future", e.getMessage());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the task's thread was interrupted at once");
        OperationSnapshot run = endedRun();
        assertEquals(OperationStatus.CANCELED, run.getStatus());
        assertEquals(CancellationReason.MANUAL, run.getCancelReason());
        assertEquals(run.getId(), e.getOperationId());
        assertTrue(f.cancel(true), "still canceled, as CompletableFuture answers");
        assertSame(e, assertThrows(CanceledManuallyException.class, f::get), "a second cancel changes nothing");
    }

    @Test
    void aTimeoutCompletesTheFutureWithTimeoutCancellationAndIsCancelled() throws Exception {
        CompletableFuture<String> f = op("slow").timeout(Duration.ofMillis(50)).build().supplyAsync(ctx -> {
            Thread.sleep(30_000);
            return "never";
        }, executor);
        CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(f.isCancelled());
        assertTrue(f.isCompletedExceptionally());
        assertSame(e, assertThrows(CanceledByTimeoutException.class, f::join), "join throws the same typed exception");
        assertEquals(CancellationReason.TIMEOUT, e.getReason());
        assertEquals(OperationStatus.CANCELED, e.getSnapshot().getStatus(), "the future completes once the run ended");
        Throwable seenByStage = f.handle((v, t) -> t).get(10, TimeUnit.SECONDS);
        assertSame(e, seenByStage);
    }

    @Test
    void theTasksOwnExceptionCompletesTheFutureUnchanged() throws Exception {
        IOException failure = new IOException("no route");
        CompletableFuture<String> f = op("failing").build().supplyAsync(ctx -> {
            throw failure;
        }, executor);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertSame(failure, e.getCause());
        assertSame(failure, assertThrows(CompletionException.class, f::join).getCause());
        assertFalse(f.isCancelled());
        assertEquals(OperationStatus.FAILED, endedRun().getStatus());
    }

    @Test
    void aFutureCanceledBeforeItsTaskStartsLeavesNothingBehind() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        Executor later = queued::add;
        List<String> ran = new ArrayList<>();
        CompletableFuture<String> f = op("queued").build().supplyAsync(ctx -> {
            ran.add("task");
            return "v";
        }, later);
        assertTrue(f.cancel(false));
        CanceledManuallyException e = assertThrows(CanceledManuallyException.class, f::join);
        assertEquals(OperationFuture.CANCELED_BY_FUTURE, e.getMessage());
        assertNotNull(e.getOperationId(), "the operation exists from supplyAsync on");
        queued.forEach(Runnable::run); // the executor gets to it at last
        assertEquals(List.of(), ran);
        assertEquals(0, registry.getActiveCount());
        assertEquals(List.of(), registry.history(), "the operation never ran, so none was recorded");
    }

    @Test
    void aRejectingExecutorFailsTheFutureClearlyAndRecordsTheRunFailed() throws Exception {
        Executor full = command -> {
            throw new RejectedExecutionException("queue full");
        };
        List<String> events = new ArrayList<>();
        AtomicReference<Throwable> seenByOnFailed = new AtomicReference<>();
        Operation parentOp = op("parent").build();
        CompletableFuture<String>[] f = new CompletableFuture[1];
        String parentId = parentOp.call(parent -> {
            f[0] = Cancelables.operation("rejected").registry(registry).parent(parent)
                    .onStart(c -> events.add("start " + c.getStatus()))
                    .onFailed((c, e) -> {
                        events.add("error " + c.getStatus());
                        seenByOnFailed.set(e);
                    })
                    .build().supplyAsync(ctx -> "never", full);
            assertTrue(f[0].isDone(), "the future failed before supplyAsync returned");
            assertEquals(Set.of(), parent.snapshot().getChildIds(), "the failed run has already left its parent");
            return parent.getId();
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f[0].get(10, TimeUnit.SECONDS));
        RejectedExecutionException rejected = assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertTrue(rejected.getMessage().contains("'rejected'"), rejected.getMessage());
        assertEquals("queue full", rejected.getCause().getMessage());
        assertSame(rejected, seenByOnFailed.get(), "onFailed saw the very exception the future holds");
        assertEquals(List.of("start running", "error failed"), events);
        assertEquals(0, registry.getActiveCount());
        OperationSnapshot run = registry.history(new OperationFilter().status(OperationStatus.FAILED)).get(0);
        assertEquals("rejected", run.getName());
        assertEquals(parentId, run.getParentId());
        assertTrue(run.getError().contains("RejectedExecutionException"), run.getError());
        assertNull(run.getCancelReason());
    }

    @Test
    void aRejectingExecutorForARunAlreadyCanceledRecordsItCanceledWithTheRejectionAttached() throws Exception {
        Executor full = command -> {
            throw new RejectedExecutionException("queue full");
        };
        dev.cancelable.CancellationToken token = new dev.cancelable.CancellationToken();
        token.cancel(CancellationReason.SIGNAL, "shutting down");
        CompletableFuture<String> f = op("rejected").token(token).build().supplyAsync(ctx -> "never", full);
        OperationCanceledException e = assertThrows(OperationCanceledException.class, f::join);
        assertEquals(CancellationReason.SIGNAL, e.getReason());
        assertInstanceOf(RejectedExecutionException.class, e.getSuppressed()[0]);
        assertTrue(f.isCancelled());
        assertEquals(OperationStatus.CANCELED, registry.history().get(0).getStatus());
        assertFalse(Thread.currentThread().isInterrupted(), "the calling thread was not interrupted by the cancel");
    }

    @Test
    void orTimeoutOnTheFutureCancelsTheOperationWithReasonTimeout() throws Exception {
        CompletableFuture<String> f = op("bounded").build().supplyAsync(ctx -> {
            ctx.sleep(Duration.ofSeconds(30));
            return "never";
        }, executor).orTimeout(50, TimeUnit.MILLISECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        OperationSnapshot run = endedRun();
        assertEquals(OperationStatus.CANCELED, run.getStatus());
        assertEquals(CancellationReason.TIMEOUT, run.getCancelReason());
        assertEquals("Operation canceled: its future timed out", run.getCancelMessage());
    }

    @Test
    void completingTheFutureFromOutsideCancelsTheOperation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> f = op("overtaken").build().supplyAsync(ctx -> {
            started.countDown();
            ctx.sleep(Duration.ofSeconds(30));
            return "never";
        }, executor);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(f.complete("cached"));
        assertEquals("cached", f.get());
        OperationSnapshot run = endedRun();
        assertEquals(OperationStatus.CANCELED, run.getStatus());
        assertEquals(CancellationReason.MANUAL, run.getCancelReason());
    }

    @Test
    void aCancelThroughTheRegistryCompletesTheFutureWithItsReason() throws Exception {
        AtomicReference<String> id = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> f = op("listed").build().supplyAsync(ctx -> {
            id.set(ctx.getId());
            started.countDown();
            Thread.sleep(30_000);
            return "never";
        }, executor);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(registry.cancel(id.get(), CancellationReason.SIGNAL, "shutting down"));
        OperationCanceledException e = assertThrows(OperationCanceledException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals(CancellationReason.SIGNAL, e.getReason());
        assertEquals("shutting down", e.getMessage());
        assertTrue(f.isCancelled());
    }

    @Test
    void theOperationTheCallerRunsBecomesTheParentOfAnAsyncRun() throws Exception {
        AtomicReference<CompletableFuture<String>> child = new AtomicReference<>();
        AtomicReference<String> parentId = new AtomicReference<>();
        CountDownLatch childStarted = new CountDownLatch(1);
        assertThrows(CanceledManuallyException.class, () -> op("parent").build().call(parent -> {
            parentId.set(parent.getId());
            child.set(Cancelables.operation("child").registry(registry).build().supplyAsync(c -> {
                childStarted.countDown();
                c.sleep(Duration.ofSeconds(30));
                return "never";
            }, executor));
            assertTrue(childStarted.await(10, TimeUnit.SECONDS));
            parent.cancel(CancellationReason.MANUAL, "parent stops");
            return child.get().join(); // join() ignores the interrupt of the parent's cancel
        }));
        CanceledByParentException e = assertThrows(CanceledByParentException.class, () -> child.get().get(10, TimeUnit.SECONDS));
        assertEquals(parentId.get(), e.getParentId());
        assertEquals(parentId.get(), e.getSnapshot().getParentId());
    }

    @Test
    void runAsyncCompletesWithNullOnTheDefaultExecutor() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<Void> f = op("void").build().runAsync(ctx -> thread.set(Thread.currentThread().getName()));
        assertNull(f.get(10, TimeUnit.SECONDS));
        assertTrue(thread.get().startsWith("cancelable-async-"), thread.get());
        assertTrue(Thread.currentThread() != null && endedRun().getStatus() == OperationStatus.COMPLETED);
    }

    @Test
    void callbacksSeeTheEndedContextOfAnAsyncRun() throws Exception {
        AtomicReference<OperationContext> completed = new AtomicReference<>();
        CompletableFuture<Integer> f = op("callbacks").onCompleted(completed::set).build()
                .supplyAsync(ctx -> 42, executor);
        assertEquals(42, f.get(10, TimeUnit.SECONDS));
        endedRun();
        assertEquals(OperationStatus.COMPLETED, completed.get().getStatus());
    }
}

package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.cancelable.CanceledByConditionException;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.OperationStatus;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import dev.cancelable.source.CancellationSource;
import dev.cancelable.source.SourceScope;
import dev.cancelable.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import kotlinx.coroutines.DisposableHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults at the facade's user hooks: callbacks, conditions and sources that throw, an executor that
 * rejects the task, and threads interrupted by someone else around {@code call}, {@code supplyAsync}
 * and {@code runAsync}. Each test asserts the final status, the exception the caller sees, the WARN
 * log of a swallowed failure, and that no registry entry or armed timer is left.
 */
@Timeout(20)
class FaultInjectionTest {
    private final OperationRegistry registry = new OperationRegistry();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final LogCapture logs = new LogCapture();

    @AfterEach
    void nothingLeft() throws InterruptedException {
        logs.close();
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "every task ended");
        assertEquals(0, registry.getActiveCount(), "no operation stays registered");
        assertEquals(0, Leaks.pendingSharedTimers(), "no timer stays armed");
        Thread.interrupted();
    }

    private OperationBuilder op(String name) {
        return Cancelables.operation(name).registry(registry).timeout(Duration.ofSeconds(10));
    }

    private void assertLogged(String text, String cause) {
        List<ILoggingEvent> matching = logs.warningsContaining(text);
        assertTrue(matching.stream().anyMatch(e -> e.getThrowableProxy() != null && e.getThrowableProxy().getMessage().contains(cause)),
                "a WARN '" + text + "' with cause '" + cause + "' in " + logs.getWarnings());
    }

    private OperationSnapshot onlyRun() {
        List<OperationSnapshot> history = registry.history();
        assertEquals(1, history.size(), "one run recorded: " + history);
        return history.get(0);
    }

    // ---- throwing callbacks ----------------------------------------------------------------------

    /** A hook, how a task triggers it, and how the run ends. */
    enum Hook {
        START(OperationStatus.COMPLETED), PROGRESS(OperationStatus.COMPLETED), COMPLETED(OperationStatus.COMPLETED),
        CANCELED(OperationStatus.CANCELED), FAILED(OperationStatus.FAILED), FINISHED(OperationStatus.COMPLETED);

        final OperationStatus status;

        Hook(OperationStatus status) {
            this.status = status;
        }

        String logged() {
            return name().toLowerCase() + " callback of operation";
        }

        /** Adds a throwing callback of this kind, then one that records into {@code seen}. */
        OperationBuilder configure(OperationBuilder b, List<String> seen) {
            switch (this) {
                case START:
                    return b.onStart(c -> fail()).onStart(c -> seen.add("start"));
                case PROGRESS:
                    return b.onProgress(r -> fail()).onProgress(r -> seen.add(r.getMessage()));
                case COMPLETED:
                    return b.onCompleted(c -> fail()).onCompleted(c -> seen.add("completed"));
                case CANCELED:
                    return b.onCanceled(c -> fail()).onCanceled(c -> seen.add("canceled " + c.getCancelReason()));
                case FAILED:
                    return b.onFailed((c, e) -> fail()).onFailed((c, e) -> seen.add("failed " + e.getMessage()));
                default:
                    return b.onFinished(c -> fail()).onFinished(c -> seen.add("finished " + c.getStatus()));
            }
        }

        String task(CancelableContext ctx) throws IOException {
            switch (this) {
                case PROGRESS:
                    ctx.reportProgress("half");
                    return "value";
                case CANCELED:
                    ctx.cancel(CancellationReason.MANUAL, "stop");
                    ctx.throwIfCanceled();
                    return "never";
                case FAILED:
                    throw new IOException("task failed");
                default:
                    return "value";
            }
        }

        List<String> expected() {
            switch (this) {
                case START:
                    return List.of("start");
                case PROGRESS:
                    return List.of("half");
                case COMPLETED:
                    return List.of("completed");
                case CANCELED:
                    return List.of("canceled manual");
                case FAILED:
                    return List.of("failed task failed");
                default:
                    return List.of("finished completed");
            }
        }

        private static void fail() {
            throw new IllegalStateException("hook failed");
        }
    }

    static Stream<Arguments> hooksAndPaths() {
        return Stream.of(Hook.values()).flatMap(h -> Stream.of(Arguments.of(h, "call"), Arguments.of(h, "supplyAsync")));
    }

    @ParameterizedTest(name = "{0} through {1}")
    @MethodSource("hooksAndPaths")
    void aThrowingCallbackIsLoggedTheRunEndsRightAndLaterCallbacksStillRun(Hook hook, String path) throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Operation op = hook.configure(op("faulty"), seen).build();
        Throwable thrown = null;
        String value = null;
        try {
            value = path.equals("call") ? op.call(hook::task) : op.supplyAsync(hook::task, executor).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            thrown = e.getCause();
        } catch (Exception e) {
            thrown = e;
        }
        switch (hook.status) {
            case COMPLETED:
                assertEquals("value", value);
                break;
            case CANCELED:
                assertInstanceOf(CanceledManuallyException.class, thrown);
                break;
            default:
                assertEquals("task failed", assertInstanceOf(IOException.class, thrown).getMessage());
        }
        assertEquals(hook.status, onlyRun().getStatus());
        assertEquals(hook.expected(), seen);
        assertLogged(hook.logged(), "hook failed");
    }

    // ---- throwing conditions and sources ---------------------------------------------------------

    @Test
    void aConditionThatThrowsIsLoggedAndPollingGoesOnUntilItHolds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Operation op = op("polled").condition(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("sensor offline");
            }
            return true;
        }, Duration.ofMillis(1), "sensor").build();
        CanceledByConditionException e = assertThrows(CanceledByConditionException.class, () -> op.call(ctx -> {
            ctx.sleep(Duration.ofSeconds(10));
            return "never";
        }));
        assertEquals("Condition 'sensor' met after 3 checks", e.getMessage());
        assertEquals(1, logs.warningsContaining("condition 'sensor' threw; polling continues").size());
        assertEquals(OperationStatus.CANCELED, onlyRun().getStatus());
    }

    /** A source for faults: attach or dispose throws, or it is a good one counting its registrations. */
    private static CancellationSource faulty(String name, boolean failAttach, boolean failDispose, AtomicInteger live) {
        return new CancellationSource(name) {
            @Override
            public DisposableHandle attach(SourceScope scope) {
                if (failAttach) {
                    throw new IllegalStateException("attach failed");
                }
                live.incrementAndGet();
                return () -> {
                    live.decrementAndGet();
                    if (failDispose) {
                        throw new IllegalStateException("dispose failed");
                    }
                };
            }
        };
    }

    @Test
    void aSourceWhoseAttachThrowsIsLoggedAndTheRunKeepsItsOtherSources() {
        AtomicInteger live = new AtomicInteger();
        Operation op = op("attach").source(faulty("broken", true, false, live)).timeout(Duration.ofMillis(20)).build();
        assertThrows(CanceledByTimeoutException.class, () -> op.call(ctx -> {
            ctx.sleep(Duration.ofSeconds(10));
            return "never";
        }));
        assertLogged("source broken of operation", "attach failed");
        assertEquals(OperationStatus.CANCELED, onlyRun().getStatus());
    }

    @Test
    void aSourceWhoseDisposeThrowsIsLoggedAndEveryOtherSourceIsStillReleased() throws Exception {
        AtomicInteger live = new AtomicInteger();
        Operation op = op("dispose")
                .source(faulty("broken", false, true, live))
                .source(faulty("good", false, false, live))
                .build();
        assertEquals("value", op.supplyAsync(ctx -> "value", executor).get(10, TimeUnit.SECONDS));
        assertEquals(0, live.get(), "both sources were disposed");
        assertLogged("failed to dispose", "dispose failed");
        assertEquals(OperationStatus.COMPLETED, onlyRun().getStatus());
    }

    // ---- a rejecting executor --------------------------------------------------------------------

    @Test
    void aRejectingExecutorFailsRunAsyncClearlyAndTheRunIsRecordedFailed() {
        Executor full = command -> {
            throw new RejectedExecutionException("queue full");
        };
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CompletableFuture<Void> f = op("rejected").onFailed((c, e) -> seen.set(e)).build().runAsync(ctx -> { }, full);
        RejectedExecutionException e = assertInstanceOf(RejectedExecutionException.class,
                assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause());
        assertEquals("operation 'rejected' did not start: its executor rejected the task", e.getMessage());
        assertSame(e, seen.get());
        OperationSnapshot run = onlyRun();
        assertEquals(OperationStatus.FAILED, run.getStatus());
        assertNull(run.getCancelReason());
        assertTrue(logs.getWarnings().isEmpty(), "a rejection is reported, not swallowed: " + logs.getWarnings());
    }

    // ---- interrupted threads ---------------------------------------------------------------------

    @Test
    void callOnAThreadThatComesInInterruptedIsCanceledAndTheFlagIsSetAgain() {
        Thread.currentThread().interrupt();
        CanceledManuallyException e = assertThrows(CanceledManuallyException.class, () -> op("interrupted").build().call(ctx -> {
            new CountDownLatch(1).await();
            return "never";
        }));
        assertEquals("Operation canceled: thread interrupted", e.getMessage());
        assertTrue(Thread.interrupted(), "the caller's interrupt is set again");
        OperationSnapshot run = onlyRun();
        assertEquals(OperationStatus.CANCELED, run.getStatus());
        assertEquals(CancellationReason.MANUAL, run.getCancelReason());
    }

    @Test
    void aWorkerOfSupplyAsyncInterruptedBySomeoneElseCancelsTheRunAndTheFutureSaysSo() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch blocked = new CountDownLatch(1);
        CompletableFuture<String> f = op("worker").build().supplyAsync(ctx -> {
            blocked.countDown();
            new CountDownLatch(1).await();
            return "never";
        }, pool);
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        pool.shutdownNow(); // interrupts the worker
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the worker ended");
        OperationCanceledException e = assertThrows(OperationCanceledException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals(CancellationReason.MANUAL, e.getReason());
        assertTrue(f.isCancelled());
        assertEquals("Operation canceled: thread interrupted", onlyRun().getCancelMessage());
    }

    @Test
    void supplyAsyncFromAnInterruptedCallerRunsNormallyAndLeavesTheCallersFlagAlone() throws Exception {
        Thread.currentThread().interrupt();
        CompletableFuture<String> f = op("caller").build().supplyAsync(ctx -> "value", executor);
        assertTrue(Thread.interrupted(), "the caller's flag is untouched");
        assertEquals("value", f.get(10, TimeUnit.SECONDS));
        assertEquals(OperationStatus.COMPLETED, onlyRun().getStatus());
    }

    @Test
    void aThreadWaitingOnTheFutureThatIsInterruptedStopsWaitingAndTheRunGoesOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> f = op("waited").build().supplyAsync(ctx -> {
            release.await();
            return "value";
        }, executor);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertFalse(f.isDone(), "the waiter's interrupt is not the run's");
        release.countDown();
        assertEquals("value", f.get(10, TimeUnit.SECONDS));
        assertEquals(OperationStatus.COMPLETED, onlyRun().getStatus());
    }
}

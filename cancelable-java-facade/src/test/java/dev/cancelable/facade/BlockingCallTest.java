package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationStatus;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Operation#call}: the operation runs on the calling thread, and leaves nothing behind. */
@Timeout(20)
class BlockingCallTest {
    private final OperationRegistry registry = new OperationRegistry();

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, registry.getActiveCount(), "no operation stays registered");
        assertNull(Cancelables.current(), "no operation stays current on the test thread");
        assertFalse(Thread.interrupted(), "no interrupt leaks to the caller");
    }

    private OperationBuilder op(String name) {
        return Cancelables.operation(name).registry(registry);
    }

    @Test
    void callReturnsTheValueOnTheCallingThreadAndRecordsCompleted() throws Exception {
        Thread caller = Thread.currentThread();
        AtomicReference<CancelableContext> seen = new AtomicReference<>();
        String value = op("quick").metadata("user", "u1").build().call(ctx -> {
            assertSame(caller, Thread.currentThread());
            assertEquals(OperationStatus.RUNNING, ctx.getStatus());
            assertEquals(ctx, Cancelables.current());
            assertEquals(ctx, Cancelables.requireCurrent());
            assertEquals(1, registry.getActiveCount());
            seen.set(ctx);
            return "v";
        });
        assertEquals("v", value);
        OperationSnapshot snapshot = seen.get().snapshot();
        assertEquals(OperationStatus.COMPLETED, snapshot.getStatus());
        assertFalse(snapshot.isCanceled());
        assertEquals("u1", snapshot.getMetadata().get("user"));
        assertTrue(snapshot.getDuration() != null && snapshot.getEndTime() != null);
        assertEquals(List.of(snapshot), registry.history());
    }

    @Test
    void theTasksCheckedExceptionLeavesUnwrappedAndFailsTheOperation() {
        IOException failure = new IOException("disk gone");
        List<Throwable> errors = new ArrayList<>();
        Operation op = op("failing").onFailed((ctx, e) -> errors.add(e)).build();
        IOException thrown = assertThrows(IOException.class, () -> op.call(ctx -> {
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals(List.of(failure), errors);
        OperationSnapshot snapshot = registry.history().get(0);
        assertEquals(OperationStatus.FAILED, snapshot.getStatus());
        assertTrue(snapshot.getError().contains("disk gone"));
    }

    @Test
    void anErrorPropagatesAndFailsTheOperation() {
        AssertionError failure = new AssertionError("boom");
        assertSame(failure, assertThrows(AssertionError.class, () -> op("error").build().call(ctx -> {
            throw failure;
        })));
        assertEquals(OperationStatus.FAILED, registry.history().get(0).getStatus());
    }

    @Test
    void aCancelInterruptsBlockingWorkAndTheInterruptDoesNotLeakPastTheCall() {
        CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class,
                () -> op("sleepy").timeout(Duration.ofMillis(50)).build().call(ctx -> {
                    Thread.sleep(30_000); // a plain blocking call, woken by the interrupt
                    return null;
                }));
        assertEquals(CancellationReason.TIMEOUT, e.getReason());
        // nothingLeaks() checks the flag is clear
    }

    @Test
    void anInterruptFromAnotherThreadCancelsTheCallAndTheFlagIsRestored() throws Exception {
        assertInterruptCancelsAndIsRestored(ctx -> {
            Thread.sleep(30_000);
            return null;
        });
    }

    @Test
    void anInterruptSeenByThrowIfCanceledCancelsTheCallAndTheFlagIsRestored() throws Exception {
        assertInterruptCancelsAndIsRestored(ctx -> {
            while (true) {
                ctx.throwIfCanceled();
                Thread.onSpinWait();
            }
        });
    }

    @Test
    void anInterruptSeenByContextSleepCancelsTheCallAndTheFlagIsRestored() throws Exception {
        assertInterruptCancelsAndIsRestored(ctx -> {
            ctx.sleep(Duration.ofSeconds(30));
            return null;
        });
    }

    private void assertInterruptCancelsAndIsRestored(CancelableFunction<Object, InterruptedException> task) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Boolean> flag = new CompletableFuture<>();
        Operation op = op("interrupted").onStart(c -> started.countDown()).build();
        Thread worker = new Thread(() -> {
            try {
                op.call(task);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
            flag.complete(Thread.currentThread().isInterrupted());
        });
        worker.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        worker.interrupt();
        Throwable t = thrown.get(10, TimeUnit.SECONDS);
        CanceledManuallyException e = assertInstanceOf(CanceledManuallyException.class, t);
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertTrue(flag.get(10, TimeUnit.SECONDS), "the interrupt flag is set again for the caller");
        OperationSnapshot snapshot = registry.history().get(0);
        assertEquals(OperationStatus.CANCELED, snapshot.getStatus());
        assertEquals(CancellationReason.MANUAL, snapshot.getCancelReason());
    }

    @Test
    void aContextUsedAfterItsCallEndedHasNothingToThrow() throws Exception {
        CancelableContext ended = op("ended").build().call(ctx -> ctx);
        Thread.currentThread().interrupt(); // the thread is interrupted later, in other work
        try {
            ended.throwIfCanceled();
            assertThrows(InterruptedException.class, () -> ended.sleep(Duration.ofSeconds(30)),
                    "the interrupt is the thread's own business now");
        } finally {
            Thread.interrupted();
        }
        assertEquals(OperationStatus.COMPLETED, ended.getStatus());
    }

    @Test
    void anOnCancelRequestedHookStopsWhatAnInterruptCannot() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            // With interrupts off, only the hook can stop a read that waits for bytes never sent.
            Operation op = op("read").timeout(Duration.ofMillis(100)).interruptOnCancel(false).build();
            CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class, () -> op.call(ctx -> {
                try (Registration r = ctx.onCancelRequested(cancel -> closeQuietly(socket))) {
                    InputStream in = socket.getInputStream();
                    return in.read();
                }
            }));
            assertEquals(1, e.getSuppressed().length, "the read's own failure rides along");
            assertInstanceOf(IOException.class, e.getSuppressed()[0]);
            assertTrue(socket.isClosed());
            assertTrue(peer.isConnected());
        }
    }

    @Test
    void anOnCancelRequestedHookClosedBeforeTheCancelNeverRuns() throws Exception {
        List<String> ran = new ArrayList<>();
        assertThrows(CanceledManuallyException.class, () -> op("hooks").build().call(ctx -> {
            Registration removed = ctx.onCancelRequested(e -> ran.add("removed"));
            ctx.onCancelRequested(e -> ran.add("kept:" + e.getReason()));
            removed.close();
            removed.close(); // twice is fine
            ctx.cancel();
            ctx.throwIfCanceled();
            return null;
        }));
        assertEquals(List.of("kept:manual"), ran);
    }

    @Test
    void withInterruptsOffACancelWakesTheContextSleepButNeverInterrupts() {
        AtomicReference<Boolean> interruptedInTask = new AtomicReference<>();
        assertThrows(CanceledByTimeoutException.class,
                () -> op("polite").timeout(Duration.ofMillis(50)).interruptOnCancel(false).build().call(ctx -> {
                    try {
                        ctx.sleep(Duration.ofSeconds(30));
                        return null;
                    } finally {
                        interruptedInTask.set(Thread.currentThread().isInterrupted());
                    }
                }));
        assertEquals(false, interruptedInTask.get());
    }

    @Test
    void nestedCallsEachSeeTheirOwnCurrentOperationAndTheOuterIsRestored() throws Exception {
        assertNull(Cancelables.current());
        op("a").build().call(a -> {
            assertEquals(a, Cancelables.current());
            op("b").build().call(b -> {
                assertEquals(b, Cancelables.current());
                assertNotEquals(a, b);
                assertEquals(a.getId(), b.snapshot().getParentId(), "the running operation is the parent");
                return null;
            });
            assertEquals(a, Cancelables.current());
            return null;
        });
        assertNull(Cancelables.current());
    }

    @Test
    void aCanceledParentCancelsANestedCallWithReasonParent() {
        AtomicReference<CancelableContext> child = new AtomicReference<>();
        assertThrows(CanceledManuallyException.class, () -> op("parent").build().call(parent -> {
            return op("child").build().call(c -> {
                child.set(c);
                parent.cancel(CancellationReason.MANUAL, "stop all");
                c.sleep(Duration.ofSeconds(30));
                return null;
            });
        }));
        OperationSnapshot snapshot = child.get().snapshot();
        assertEquals(CancellationReason.PARENT, snapshot.getCancelReason());
        assertTrue(snapshot.getCancelMessage().contains("'parent'"), snapshot.getCancelMessage());
    }

    @Test
    void aChildCancelNeverReachesItsParent() throws Exception {
        String result = op("parent").build().call(parent -> {
            try {
                op("child").build().call(c -> {
                    c.cancel();
                    c.throwIfCanceled();
                    return null;
                });
            } catch (CanceledManuallyException expected) {
                // the child is done
            }
            assertFalse(parent.isCanceled());
            return "parent completes";
        });
        assertEquals("parent completes", result);
    }

    @Test
    void aQuickCallUnderALongTimeoutLeavesNoTimerArmed() throws Exception {
        CancellationToken token = new CancellationToken();
        Operation op = op("quick").timeout(Duration.ofSeconds(1)).token(token).build();
        assertEquals("fast", op.call(ctx -> {
            assertEquals(1, Leaks.registrations(token));
            return "fast";
        }));
        assertEquals(0, Leaks.pendingSharedTimers(), "the timeout was disarmed when the call ended");
        assertEquals(0, Leaks.registrations(token), "the token forgot the ended run");
        assertFalse(registry.history().get(0).isCanceled(), "nothing fired afterwards");
    }

    @Test
    void anOperationCanRunAgainEachRunBeingANewOperation() throws Exception {
        Operation op = op("again").build();
        String first = op.call(CancelableContext::getId);
        String second = op.call(CancelableContext::getId);
        assertNotEquals(first, second);
        assertEquals(2, registry.history().size());
    }

    @Test
    void runsWithAFixedIdMustNotOverlapInOneRegistry() throws Exception {
        Operation op = op("fixed").id("custom-123").build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> op.call(outer -> op.call(inner -> null)));
        assertTrue(e.getMessage().contains("custom-123"), e.getMessage());
        assertEquals("custom-123", op.call(CancelableContext::getId), "a later run may reuse it");
    }

    @Test
    void progressReportedInATaskReachesTheListenersWithMetadata() throws Exception {
        List<String> got = new ArrayList<>();
        op("progress").onProgress(r -> got.add(r.getMessage() + r.getMetadata())).build().call(ctx -> {
            ctx.reportProgress("half way", java.util.Map.of("percent", 50));
            Cancelables.requireCurrent().reportProgress("done");
            return null;
        });
        assertEquals(List.of("half way{percent=50}", "done{}"), got);
    }

    @Test
    void aThrowingCallbackIsLoggedAndTheOperationCarriesOn() throws Exception {
        List<String> ran = new ArrayList<>();
        String value = op("callbacks")
                .onStart(c -> {
                    throw new IllegalStateException("start callback fails");
                })
                .onStart(c -> ran.add("second start"))
                .onCompleted(c -> ran.add("complete"))
                .build().call(ctx -> "fine");
        assertEquals("fine", value);
        assertEquals(List.of("second start", "complete"), ran);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}

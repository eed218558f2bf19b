package dev.cancelable.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.facade.OperationBuilder;
import dev.cancelable.registry.OperationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test kit as a Java user's JUnit 5 tests use it, with facade operations. */
class JavaTestKitTest {
    private final OperationRegistry registry = new OperationRegistry();
    private final OperationRecorder recorder = new OperationRecorder();

    private OperationBuilder recorded(String name) {
        return Cancelables.operation(name).registry(registry)
                .onStart(recorder::onStart)
                .onProgress(recorder::onProgress)
                .onCompleted(recorder::onCompleted)
                .onCanceled(recorder::onCanceled)
                .onFailed(recorder::onFailed);
    }

    @Test
    void recorderAndAssertionsFollowAFacadeRunThatTimesOut() {
        Operation op = recorded("java-timeout").timeout(Duration.ofMillis(50)).build();

        OperationCanceledException e = CancellationAssertions.assertCanceledWithin(
                Duration.ofMillis(50), Duration.ofSeconds(30), CancellationReason.TIMEOUT, "timed out",
                () -> op.call(ctx -> {
                    ctx.reportProgress("half", java.util.Map.of("done", 50));
                    ctx.sleep(Duration.ofSeconds(10));
                    return null;
                }));

        assertEquals(OperationStatus.CANCELED, e.getSnapshot().getStatus());
        recorder.assertKinds(EventKind.START, EventKind.PROGRESS, EventKind.CANCEL);
        assertEquals(List.of("half"), recorder.progressMessages());
        assertEquals(50, recorder.progress().get(0).getMetadata().get("done"));
        RecordedEvent cancel = recorder.getEvents().get(2);
        assertEquals(CancellationReason.TIMEOUT, cancel.getReason());
        assertEquals(e.getOperationId(), cancel.getOperationId());
    }

    @Test
    void manualSourceCancelsAFacadeFutureWithTheReasonGiven() throws Exception {
        ManualSource stop = new ManualSource();
        CountDownLatch started = new CountDownLatch(1);
        Operation op = recorded("java-manual").source(stop).build().toBuilder()
                .onStart(ctx -> started.countDown())
                .build();
        CompletableFuture<Object> future = op.supplyAsync(ctx -> {
            ctx.sleep(Duration.ofSeconds(10));
            return null;
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));

        assertEquals(1, stop.fire(CancellationReason.SIGNAL, "test signal"));

        CancellationAssertions.assertCanceled(CancellationReason.SIGNAL, "test signal", future::join);
        CancellationAssertions.assertCanceled(CancellationReason.SIGNAL, future::get);
        recorder.assertKinds(EventKind.START, EventKind.CANCEL);
        assertEquals(0, stop.getAttachedCount());
        assertEquals(0, stop.fire(), "nothing is attached any more");
    }

    @Test
    void completedAndFailedRunsAreRecordedAndAreNotCancellations() throws Exception {
        Operation op = recorded("java-plain").build();

        assertEquals("ok", op.call(ctx -> "ok"));
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> op.call(ctx -> {
            throw boom;
        })));

        recorder.assertKinds(EventKind.START, EventKind.COMPLETE, EventKind.START, EventKind.ERROR);
        assertSame(boom, recorder.getEvents().get(3).getError());
        AssertionError returned = assertThrows(AssertionError.class,
                () -> CancellationAssertions.assertCanceled(CancellationReason.MANUAL, () -> op.call(ctx -> 42)));
        assertTrue(returned.getMessage().contains("returned normally"), returned.getMessage());
        assertSame(boom, assertThrows(IllegalStateException.class,
                () -> CancellationAssertions.assertCanceled(CancellationReason.MANUAL, () -> op.call(ctx -> {
                    throw boom;
                }))), "the block's own exception propagates unchanged");
    }

    @Test
    void aCancellationWithAnotherReasonOrOutsideTheWindowFails() {
        Operation op = recorded("java-window").timeout(Duration.ofMillis(20)).build();
        CancelableTask sleepy = () -> op.call(ctx -> {
            ctx.sleep(Duration.ofSeconds(10));
            return null;
        });

        AssertionError reason = assertThrows(AssertionError.class,
                () -> CancellationAssertions.assertCanceled(CancellationReason.MANUAL, sleepy::run));
        assertTrue(reason.getMessage().contains("canceled with reason"), reason.getMessage());
        AssertionError window = assertThrows(AssertionError.class, () -> CancellationAssertions.assertCanceledWithin(
                Duration.ofSeconds(5), Duration.ofSeconds(6), CancellationReason.TIMEOUT, sleepy::run));
        assertTrue(window.getMessage().contains("canceled after"), window.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CancellationAssertions.assertCanceledWithin(
                Duration.ofSeconds(2), Duration.ofSeconds(1), CancellationReason.TIMEOUT, sleepy::run));
    }

    /** A task that may throw, kept to run it more than once. */
    @FunctionalInterface
    private interface CancelableTask {
        Object run() throws Exception;
    }
}

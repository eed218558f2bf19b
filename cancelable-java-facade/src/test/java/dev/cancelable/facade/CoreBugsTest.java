package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CancelableKt;
import dev.cancelable.Cancelable;
import dev.cancelable.CancellationReason;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.OperationStatus;
import dev.cancelable.CanceledByParentException;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.source.TimeoutSource;
import dev.cancelable.facade.internal.Bridge;
import dev.cancelable.registry.OperationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviours of the core that its contract promises and it does not yet keep, pinned through the
 * core's own blocking API (the facade works around them where it can).
 */
class CoreBugsTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void externalInterruptSeenByCheckCancellationKeepsTheInterruptFlag() {
        Cancelable op = CancelableKt.Cancelable("op", null, null, Map.of(), new OperationRegistry(), null);
        assertThrows(CanceledManuallyException.class, () -> Bridge.callBlocking(op, true, o -> {
            Thread.currentThread().interrupt(); // someone else interrupts the thread
            o.throwIfCanceled();
            return null;
        }));
        assertEquals(CancellationReason.MANUAL, op.getContext().getCancelReason());
        assertTrue(Thread.interrupted(), "callBlocking promises to set the interrupt flag again");
    }

    @Test
    void parentCanceledDuringANestedCallStillInterruptsItsOwnBlockingWork() throws Exception {
        OperationRegistry registry = new OperationRegistry();
        Cancelable parent = CancelableKt.Cancelable("parent", null, null, Map.of(), registry, null)
                .addSource(new TimeoutSource(Duration.ofMillis(50)));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                Bridge.callBlocking(parent, true, p -> {
                    Cancelable child = CancelableKt.Cancelable("child", null, null, Map.of(), registry, null);
                    try {
                        Bridge.callBlocking(child, true, c -> {
                            Thread.sleep(30_000); // the parent's timeout cascades here
                            return null;
                        });
                    } catch (CanceledByParentException expected) {
                        // the parent carries on with other blocking work...
                    }
                    Thread.sleep(30_000); // ...which its own cancel should interrupt
                    return null;
                });
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        worker.setDaemon(true);
        worker.start();
        try {
            Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
            assertTrue(thrown instanceof CanceledByTimeoutException, String.valueOf(thrown));
        } finally {
            worker.interrupt();
        }
    }

    @Test
    void checkCancellationOfAnEndedOperationOnItsFormerThreadDoesNotThrowAnInternalSentinel() throws Exception {
        Cancelable op = CancelableKt.Cancelable("done", null, null, Map.of(), new OperationRegistry(), null);
        Bridge.callBlocking(op, true, o -> null);
        assertEquals(OperationStatus.COMPLETED, op.getStatus());
        Thread.currentThread().interrupt(); // the thread moves on to other work and is interrupted there
        try {
            assertDoesNotThrow(op::throwIfCanceled, "a completed operation has nothing to throw");
        } finally {
            Thread.interrupted();
        }
    }
}

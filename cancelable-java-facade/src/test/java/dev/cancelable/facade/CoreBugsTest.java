package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.Cancelable;
import dev.cancelable.CanceledByParentException;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.internal.Bridge;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.source.TimeoutSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviours of the core that its contract promises and that it once broke, pinned through the
 * core's own blocking API from Java (the facade relies on them).
 */
class CoreBugsTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void externalInterruptSeenByThrowIfCanceledKeepsTheInterruptFlag() {
        Cancelable op = CoreOperations.create("op", new OperationRegistry());
        assertThrows(CanceledManuallyException.class, () -> Bridge.callBlocking(op, true, o -> {
            Thread.currentThread().interrupt(); // someone else interrupts the thread
            o.throwIfCanceled();
            return null;
        }));
        assertEquals(CancellationReason.MANUAL, op.getCancelReason());
        assertTrue(Thread.interrupted(), "callBlocking promises to set the interrupt flag again");
    }

    @Test
    void parentCanceledDuringANestedCallStillInterruptsItsOwnBlockingWork() throws Exception {
        OperationRegistry registry = new OperationRegistry();
        Cancelable parent = CoreOperations.create("parent", registry, new TimeoutSource(Duration.ofMillis(50)));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                Bridge.callBlocking(parent, true, p -> {
                    Cancelable child = CoreOperations.create("child", registry);
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
    void throwIfCanceledOfAnEndedOperationOnItsFormerThreadDoesNotThrowAnInternalSentinel() throws Exception {
        Cancelable op = CoreOperations.create("done", new OperationRegistry());
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

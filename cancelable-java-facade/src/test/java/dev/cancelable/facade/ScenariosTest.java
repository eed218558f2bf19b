package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.invocation.Invocations;
import dev.cancelable.facade.invocation.NoInvocationContextException;
import dev.cancelable.registry.OperationFilter;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenarios 12, 13, 41 and 120 of docs/semantics.md as the Java facade keeps them, pinned in Java. */
@Timeout(20)
class ScenariosTest {
    private final OperationRegistry registry = new OperationRegistry();

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, registry.getActiveCount());
        assertFalse(Thread.interrupted());
    }

    // ---- 12: a timeout given as a java.time.Duration ------------------------------------------------

    @Test
    @DisplayName("a java.time.Duration timeout cancels a blocking call [scenario 12]")
    void aJavaDurationTimeoutCancelsABlockingCall() {
        Operation op = Cancelables.operation("fetch").registry(registry).timeout(Duration.ofMillis(100)).build();
        assertEquals(Duration.ofMillis(100), op.getTimeout().orElseThrow());
        long start = System.nanoTime();
        CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class, () -> op.call(ctx -> {
            ctx.sleep(Duration.ofSeconds(30));
            return "never";
        }));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 100, "not before the timeout: " + elapsedMillis);
        assertTrue(elapsedMillis < 10_000, "long before the sleep would have ended: " + elapsedMillis);
        assertEquals(CancellationReason.TIMEOUT, e.getReason());
        assertEquals(Duration.ofMillis(100), e.getTimeout());
        assertTrue(e.getMessage().contains("timed out after 0.1s"), e.getMessage());
        OperationSnapshot snapshot = e.getSnapshot();
        assertEquals(OperationStatus.CANCELED, snapshot.getStatus());
        assertEquals(CancellationReason.TIMEOUT, snapshot.getCancelReason());
    }

    @Test
    @DisplayName("a java.time.Duration timeout completes the future canceled [scenario 12]")
    void aJavaDurationTimeoutCompletesTheFutureCanceled() throws Exception {
        CompletableFuture<String> f = Cancelables.operation("fetch").registry(registry)
                .timeout(Duration.ofMillis(100)).build()
                .supplyAsync(ctx -> {
                    Thread.sleep(30_000);
                    return "never";
                });
        CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(f.isCancelled());
        assertEquals(Duration.ofMillis(100), e.getTimeout());
        assertEquals(OperationStatus.CANCELED, e.getSnapshot().getStatus());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    @DisplayName("a zero or negative java.time.Duration has expired, so no entry point runs the task [scenario 13]")
    void aZeroOrNegativeJavaDurationHasExpiredSoNoEntryPointRunsTheTask(long millis) throws Exception {
        Operation op = Cancelables.operation("late").registry(registry).timeout(Duration.ofMillis(millis)).build();
        AtomicLong ran = new AtomicLong();
        assertThrows(CanceledByTimeoutException.class, () -> op.call(ctx -> ran.incrementAndGet()));
        CompletableFuture<Long> supplied = op.supplyAsync(ctx -> ran.incrementAndGet());
        assertInstanceOf(CanceledByTimeoutException.class, assertThrows(Exception.class, () -> supplied.get(10, TimeUnit.SECONDS)));
        assertTrue(supplied.isCancelled());
        CompletableFuture<Void> run = op.runAsync(ctx -> ran.incrementAndGet());
        assertInstanceOf(CanceledByTimeoutException.class, assertThrows(Exception.class, () -> run.get(10, TimeUnit.SECONDS)));
        CompletableFuture<Long> composed = op.compose(ctx -> CompletableFuture.completedFuture(ran.incrementAndGet()));
        assertInstanceOf(CanceledByTimeoutException.class, assertThrows(Exception.class, () -> composed.get(10, TimeUnit.SECONDS)));
        assertEquals(0, ran.get());
        assertEquals(4, registry.history(new OperationFilter().status(OperationStatus.CANCELED)).size());
    }

    @Test
    @DisplayName("a java.time.Duration too long to represent is no timeout [scenario 13]")
    void aJavaDurationTooLongToRepresentIsNoTimeout() throws Exception {
        Operation op = Cancelables.operation("patient").registry(registry).timeout(java.time.temporal.ChronoUnit.FOREVER.getDuration()).build();
        assertEquals("done", op.call(ctx -> "done"));
    }

    @Test
    @DisplayName("an already canceled token means no entry point runs the task [scenario 41]")
    void anAlreadyCanceledTokenMeansNoEntryPointRunsTheTask() throws Exception {
        CancellationToken token = new CancellationToken();
        token.cancel(CancellationReason.SIGNAL, "shutting down");
        Operation op = Cancelables.operation("refused").registry(registry).token(token).build();
        AtomicLong ran = new AtomicLong();
        dev.cancelable.CanceledBySignalException e = assertThrows(dev.cancelable.CanceledBySignalException.class, () -> op.call(ctx -> ran.incrementAndGet()));
        assertEquals("shutting down", e.getMessage());
        CompletableFuture<Long> supplied = op.supplyAsync(ctx -> ran.incrementAndGet());
        assertInstanceOf(dev.cancelable.CanceledBySignalException.class, assertThrows(Exception.class, () -> supplied.get(10, TimeUnit.SECONDS)));
        CompletableFuture<Long> composed = op.compose(ctx -> CompletableFuture.completedFuture(ran.incrementAndGet()));
        assertInstanceOf(dev.cancelable.CanceledBySignalException.class, assertThrows(Exception.class, () -> composed.get(10, TimeUnit.SECONDS)));
        assertEquals(0, ran.get());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    // ---- 120: blocking code inside a facade call ----------------------------------------------------

    @Test
    @DisplayName("blocking code checks and sleeps inside a call [scenario 120]")
    void blockingCodeChecksAndSleepsInsideACall() throws Exception {
        String value = Cancelables.operation("steps").registry(registry).build().call(ctx -> {
            ctx.throwIfCanceled();                 // live: returns at once
            ctx.sleep(Duration.ofMillis(1));       // a short sleep just sleeps
            Cancelables.requireCurrent().throwIfCanceled();
            return "done";
        });
        assertEquals("done", value);
    }

    @Test
    @DisplayName("a canceled operation makes every check throw [scenario 120]")
    void aCanceledOperationMakesEveryCheckThrow() {
        CanceledManuallyException e = assertThrows(CanceledManuallyException.class,
                () -> Cancelables.operation("steps").registry(registry).build().call(ctx -> {
                    ctx.cancel(CancellationReason.MANUAL, "enough");
                    try {
                        ctx.throwIfCanceled();
                    } catch (CanceledManuallyException first) {
                        // caught once: the cancel is latched, so the next check throws again
                    }
                    ctx.throwIfCanceled();
                    return null;
                }));
        assertEquals("enough", e.getMessage());
    }

    @ParameterizedTest(name = "interruptOnCancel={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a sleep throws at the moment of the cancel [scenario 120]")
    void aSleepThrowsAtTheMomentOfTheCancel(boolean interruptOnCancel) throws Exception {
        CancellationToken token = new CancellationToken();
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicLong wokeAt = new AtomicLong();
        Operation op = Cancelables.operation("sleeper").registry(registry).token(token)
                .interruptOnCancel(interruptOnCancel).build();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                op.call(ctx -> {
                    sleeping.countDown();
                    try {
                        ctx.sleep(Duration.ofSeconds(30));
                    } finally {
                        wokeAt.set(System.nanoTime());
                    }
                    return null;
                });
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        worker.start();
        assertTrue(sleeping.await(10, TimeUnit.SECONDS));
        long canceledAt = System.nanoTime();
        token.cancel(CancellationReason.MANUAL, "operator pressed stop");
        CanceledManuallyException e = assertInstanceOf(CanceledManuallyException.class, thrown.get(10, TimeUnit.SECONDS));
        assertEquals("operator pressed stop", e.getMessage());
        long lagMillis = TimeUnit.NANOSECONDS.toMillis(wokeAt.get() - canceledAt);
        assertTrue(lagMillis < 5_000, "woke at the cancel, not at the end of the sleep: " + lagMillis + " ms");
        worker.join(10_000);
    }

    @Test
    @DisplayName("outside any operation the current one is null or a clear exception [scenario 120]")
    void outsideAnyOperationTheCurrentOneIsNullOrAClearException() {
        assertNull(Cancelables.current());
        IllegalStateException e = assertThrows(IllegalStateException.class, Cancelables::requireCurrent);
        assertTrue(e.getMessage().startsWith("No operation is running on thread"), e.getMessage());
        NoInvocationContextException n = assertThrows(NoInvocationContextException.class, Invocations::currentId);
        assertTrue(n.getMessage().contains("no invocation id"), n.getMessage());
    }
}

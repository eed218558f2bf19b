package dev.cancelable.benchmarks;

import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.registry.OperationRegistry;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Timeout;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A trivial task run under a 60 s time limit from a plain thread, result in hand: what a Java
 * caller pays per call. Every contender but {@code executeFutureSupplier} arms a real timer and
 * disarms it when the task is done.
 *
 * <ul>
 *   <li>{@code CompletableFuture.orTimeout} + {@code complete}: the JDK's own timer thread.</li>
 *   <li>Resilience4j {@code TimeLimiter.executeCompletionStage}: a timer on a scheduler that removes
 *       canceled tasks, as a careful user configures it.</li>
 *   <li>Resilience4j {@code executeFutureSupplier} over a completed future: arms no timer (it only
 *       bounds {@code Future.get}); reported for reference.</li>
 *   <li>Failsafe {@code Timeout} with interrupt, synchronous {@code get}.</li>
 *   <li>Ours: the Java facade's {@code op.call(ctx -> value)}, the operation built once with its
 *       timeout, each call a new operation in the default registry: what a Java user writes.</li>
 *   <li>Ours in Kotlin: {@code Cancelable(timeout = ...).callBlocking {}}, the core path under
 *       {@code call}, building the timeout and the operation per call; reported for reference.</li>
 * </ul>
 */
@State(Scope.Thread)
public class TimeLimitedCallBenchmark extends SuiteDefaults {
    private static final Duration LIMIT = Duration.ofMillis(Primitives.TIMEOUT_MILLIS);

    private ScheduledThreadPoolExecutor scheduler;
    private TimeLimiter timeLimiter;
    private FailsafeExecutor<Integer> failsafe;
    private Operation operation;
    private int value;

    @Setup
    public void setUp() {
        scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "benchmark-time-limiter");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(LIMIT).build());
        failsafe = Failsafe.with(Timeout.<Integer>builder(LIMIT).withInterrupt().build());
        operation = Cancelables.operation("call").timeout(LIMIT).build();
        value = 42;
    }

    @TearDown
    public void tearDown() {
        scheduler.shutdownNow();
    }

    @Benchmark
    public int completableFutureOrTimeout() {
        CompletableFuture<Integer> future = new CompletableFuture<Integer>().orTimeout(Primitives.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        future.complete(value);
        return future.join();
    }

    @Benchmark
    public int resilience4jTimeLimiter() {
        return timeLimiter.executeCompletionStage(scheduler, () -> CompletableFuture.completedFuture(value))
                .toCompletableFuture().join();
    }

    @Benchmark
    public int resilience4jFutureSupplier() throws Exception {
        return timeLimiter.executeFutureSupplier(() -> CompletableFuture.completedFuture(value));
    }

    @Benchmark
    public int failsafeTimeout() {
        return failsafe.get(() -> value);
    }

    @Benchmark
    public int cancelableCall() throws Exception {
        return operation.call(ctx -> value);
    }

    @Benchmark
    public int cancelableCallBlocking() {
        return Operations.timedBlockingCall(value, OperationRegistry.getGlobal());
    }
}

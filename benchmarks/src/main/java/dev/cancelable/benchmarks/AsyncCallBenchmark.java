package dev.cancelable.benchmarks;

import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A trivial task handed to an executor under a 60 s time limit, and its result awaited: what a Java
 * caller pays per asynchronous call. Both contenders use the same executor, one pool of a single
 * worker thread with an unbounded queue, created once per trial: every call is one hand-off to that
 * thread and one wake-up of the caller, so the difference is what each adds around the hand-off.
 *
 * <ul>
 *   <li>{@code CompletableFuture.supplyAsync(task, executor).orTimeout(...)}: the JDK's way. Note
 *       that {@code orTimeout} arms no timer when the task has already finished by the time it is
 *       called, which happens when the worker wins the race; that favours the baseline.</li>
 *   <li>Ours: the Java facade's {@code op.supplyAsync(ctx -> value, executor)}, the operation built
 *       once with its timeout; each call creates an operation on the worker thread, in the default
 *       registry, that arms its timeout on the shared timer thread.</li>
 * </ul>
 */
@State(Scope.Thread)
public class AsyncCallBenchmark extends SuiteDefaults {
    private static final Duration LIMIT = Duration.ofMillis(Primitives.TIMEOUT_MILLIS);

    private ExecutorService executor;
    private Operation operation;
    private int value;

    @Setup
    public void setUp() {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "benchmark-async");
            thread.setDaemon(true);
            return thread;
        });
        operation = Cancelables.operation("async").timeout(LIMIT).build();
        value = 42;
    }

    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public int completableFutureSupplyAsync() {
        return CompletableFuture.supplyAsync(() -> value, executor)
                .orTimeout(Primitives.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .join();
    }

    @Benchmark
    public int cancelableSupplyAsync() {
        return operation.supplyAsync(ctx -> value, executor).join();
    }
}

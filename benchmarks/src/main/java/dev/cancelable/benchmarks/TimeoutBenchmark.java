package dev.cancelable.benchmarks;

import dev.cancelable.registry.OperationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Enter/exit of a scope with a 60 s timeout that never fires: kotlinx's {@code withTimeout} against
 * {@code Cancelable(timeout = ...).run {}} with the default registry and without one. Both arm their
 * timer through the {@code Delay} of {@code runBlocking}'s event loop. A {@code withContext(element)}
 * scope that arms and disarms the same timer shows the least an operation with a timeout can cost.
 */
public class TimeoutBenchmark extends SuiteDefaults {

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long kotlinxWithTimeout() {
        return Primitives.withTimeoutLoop(Primitives.OPS);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long kotlinxWithContextAndTimer() {
        return Primitives.withContextAndTimerLoop(Primitives.OPS);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long cancelableWithTimeoutRegistryOn() {
        return Operations.timeoutRunLoop(Primitives.OPS, OperationRegistry.getGlobal());
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long cancelableWithTimeoutRegistryOff() {
        return Operations.timeoutRunLoop(Primitives.OPS, null);
    }
}

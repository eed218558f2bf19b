package dev.cancelable.benchmarks;

import dev.cancelable.registry.OperationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Enter/exit of a scope with a 60 s timeout that never fires: kotlinx's {@code withTimeout} against
 * {@code Cancelable.withTimeout(...).run {}} with the default registry and without one. Both arm their
 * timer on the event loop of {@code runBlocking}.
 */
public class TimeoutBenchmark extends SuiteDefaults {

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long kotlinxWithTimeout() {
        return Primitives.withTimeoutLoop(Primitives.OPS);
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

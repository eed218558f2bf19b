package dev.cancelable.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/** A cancellation check in a loop: kotlinx's {@code ensureActive()} against {@code throwIfCanceled()}. */
public class CheckBenchmark extends SuiteDefaults {

    @Benchmark
    @OperationsPerInvocation(Primitives.CHECKS)
    public long kotlinxEnsureActive() {
        return Primitives.ensureActiveLoop(Primitives.CHECKS);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.CHECKS)
    public long cancelableCheckCancellation() {
        return Operations.checkLoop(Primitives.CHECKS);
    }
}

package dev.cancelable.benchmarks;

import dev.cancelable.registry.OperationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cancel fan-out, per child: 10,000 suspended children under one parent, the parent canceled, all
 * unwound. Plain launched coroutines against child operations (default registry) canceled by their
 * parent operation; children that each sit in a {@code withContext(element)} scope show what the
 * scope coroutine of every child operation costs by itself.
 *
 * <p>One invocation is 10,000 children, so a warmup second holds only a few dozen of them: ten
 * warmup seconds, as the operation fan-out was still getting faster after five.
 */
@Warmup(iterations = 10, time = SuiteDefaults.WARMUP_SECONDS)
public class FanOutBenchmark extends SuiteDefaults {

    @Benchmark
    @OperationsPerInvocation(Primitives.CHILDREN)
    public int kotlinxJobFanOut() {
        return Primitives.jobFanOut(Primitives.CHILDREN);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.CHILDREN)
    public int kotlinxScopedFanOut() {
        return Primitives.scopedFanOut(Primitives.CHILDREN);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.CHILDREN)
    public int cancelableFanOut() {
        return Operations.fanOut(Primitives.CHILDREN, OperationRegistry.getGlobal());
    }
}

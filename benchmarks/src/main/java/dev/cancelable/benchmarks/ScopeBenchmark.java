package dev.cancelable.benchmarks;

import dev.cancelable.registry.OperationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Enter/exit of a scope without a timeout: {@code withContext(element)}, {@code coroutineScope} and
 * {@code Job(parent)} against {@code Cancelable().run {}} with the default registry and without one.
 */
public class ScopeBenchmark extends SuiteDefaults {

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long kotlinxWithContextElement() {
        return Primitives.withContextLoop(Primitives.OPS);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long kotlinxCoroutineScope() {
        return Primitives.coroutineScopeLoop(Primitives.OPS);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long kotlinxJobChild() {
        return Primitives.jobChildLoop(Primitives.OPS);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long cancelableRunRegistryOn() {
        return Operations.plainRunLoop(Primitives.OPS, OperationRegistry.getGlobal());
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long cancelableRunRegistryOff() {
        return Operations.plainRunLoop(Primitives.OPS, null);
    }
}

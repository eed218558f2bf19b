package dev.cancelable.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Per-item cost of collecting a flow. The raw {@code collect} baseline is measured now; the wrapped
 * counterpart joins this class when the {@code Flow} wrapper exists (see the pending row in
 * {@link BudgetTable}).
 */
public class FlowBenchmark extends SuiteDefaults {

    @Benchmark
    @OperationsPerInvocation(Primitives.ITEMS)
    public long kotlinxCollect() {
        return Primitives.collectLoop(Primitives.ITEMS);
    }
}

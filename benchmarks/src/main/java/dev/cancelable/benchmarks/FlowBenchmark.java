package dev.cancelable.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Per-item cost of collecting a flow of 10,000 items: a raw {@code collect} against the same flow
 * passed through a running operation with {@code flow.cancelable()} at its defaults (a cancellation check,
 * a count and the partial-result buffer per item). The operation's own enter/exit is spread over
 * the items.
 */
public class FlowBenchmark extends SuiteDefaults {

    @Benchmark
    @OperationsPerInvocation(Primitives.ITEMS)
    public long kotlinxCollect() {
        return Primitives.collectLoop(Primitives.ITEMS);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.ITEMS)
    public long cancelableStream() {
        return Operations.streamLoop(Primitives.ITEMS);
    }
}

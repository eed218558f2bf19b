package dev.cancelable.benchmarks;

import java.util.List;

/**
 * The performance budget (DESIGN.md section 6) as data: for each row, which measurement is the
 * baseline, which is ours, and the limit. A row whose counterpart is not built yet names it in
 * {@code pending}; {@link BudgetRun} then reports the baseline alone and marks the row pending, so
 * filling it in later means setting {@code ours} (and the benchmark that produces it), nothing else.
 */
final class BudgetTable {

    enum Kind {
        /** ours / baseline must be at most the limit. */
        RATIO_AT_MOST,
        /** ours must be faster than the baseline (ratio below 1). */
        FASTER_THAN,
        /** ours, in bytes, must be at most the limit; the baseline is shown for reference. */
        BYTES_AT_MOST,
        /** measured for context; no budget of its own. */
        REFERENCE
    }

    /**
     * @param what      the budget row, as the design names it
     * @param baselineLabel what the baseline is
     * @param baseline  measurement key of the baseline ({@code Class.method} or {@code memory.name}), or null
     * @param oursLabel what ours is
     * @param ours      measurement key of ours, or null while pending
     * @param kind      how the limit applies
     * @param limit     the ratio or byte limit
     * @param pending   what ours waits for, or null
     */
    record Row(String what, String baselineLabel, String baseline, String oursLabel, String ours,
               Kind kind, double limit, String pending) {

        String budgetText() {
            return switch (kind) {
                case RATIO_AT_MOST -> "≤ " + Formats.ratio(limit);
                case FASTER_THAN -> "< 1.00x (faster)";
                case BYTES_AT_MOST -> "≤ " + (long) limit + " B";
                case REFERENCE -> "—";
            };
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("`Cancelable(timeout = ...).run {}` enter/exit, registry on",
                    "kotlinx `withTimeout {}`", "TimeoutBenchmark.kotlinxWithTimeout",
                    "global registry", "TimeoutBenchmark.cancelableWithTimeoutRegistryOn",
                    Kind.RATIO_AT_MOST, 1.5, null),
            new Row("`Cancelable(timeout = ...).run {}` enter/exit, registry off",
                    "kotlinx `withTimeout {}`", "TimeoutBenchmark.kotlinxWithTimeout",
                    "`registry = null`", "TimeoutBenchmark.cancelableWithTimeoutRegistryOff",
                    Kind.REFERENCE, 0, null),
            new Row("`Cancelable(timeout = ...).run {}`, against a scope with a timer",
                    "`withContext(element)` arming a `Delay` timer", "TimeoutBenchmark.kotlinxWithContextAndTimer",
                    "global registry", "TimeoutBenchmark.cancelableWithTimeoutRegistryOn",
                    Kind.RATIO_AT_MOST, 1.25, null),
            new Row("`Cancelable().run {}` with no source, registry on",
                    "kotlinx `withContext(element) {}`", "ScopeBenchmark.kotlinxWithContextElement",
                    "global registry", "ScopeBenchmark.cancelableRunRegistryOn",
                    Kind.RATIO_AT_MOST, 1.3, null),
            new Row("`Cancelable().run {}` with no source, registry off",
                    "kotlinx `withContext(element) {}`", "ScopeBenchmark.kotlinxWithContextElement",
                    "`registry = null`", "ScopeBenchmark.cancelableRunRegistryOff",
                    Kind.REFERENCE, 0, null),
            new Row("cancellation check inside an operation",
                    "kotlinx `ensureActive()`", "CheckBenchmark.kotlinxEnsureActive",
                    "`throwIfCanceled()`", "CheckBenchmark.cancelableCheckCancellation",
                    Kind.RATIO_AT_MOST, 2.0, null),
            new Row("cancel fan-out, per child operation (10,000 children)",
                    "plain Job fan-out (launched children)", "FanOutBenchmark.kotlinxJobFanOut",
                    "child operations, parent canceled", "FanOutBenchmark.cancelableFanOut",
                    Kind.RATIO_AT_MOST, 2.0, null),
            new Row("cancel fan-out, per child operation, against scoped children",
                    "launched children each in `withContext(element)`", "FanOutBenchmark.kotlinxScopedFanOut",
                    "child operations, parent canceled", "FanOutBenchmark.cancelableFanOut",
                    Kind.RATIO_AT_MOST, 1.5, null),
            new Row("Java `op.call` with a timeout",
                    "`CompletableFuture.orTimeout` + complete", "TimeLimitedCallBenchmark.completableFutureOrTimeout",
                    "`op.call`", "TimeLimitedCallBenchmark.cancelableCall",
                    Kind.RATIO_AT_MOST, 1.3, null),
            new Row("blocking call with a timeout, core (`op.call` builds on it)",
                    "`CompletableFuture.orTimeout` + complete", "TimeLimitedCallBenchmark.completableFutureOrTimeout",
                    "`Cancelable(timeout = ...).callBlocking {}`", "TimeLimitedCallBenchmark.cancelableCallBlocking",
                    Kind.REFERENCE, 0, null),
            new Row("time-limited call vs Resilience4j `TimeLimiter`",
                    "`executeCompletionStage`", "TimeLimitedCallBenchmark.resilience4jTimeLimiter",
                    "`op.call`", "TimeLimitedCallBenchmark.cancelableCall",
                    Kind.FASTER_THAN, 1.0, null),
            new Row("time-limited call vs Failsafe `Timeout`",
                    "`Failsafe.with(timeout).get`", "TimeLimitedCallBenchmark.failsafeTimeout",
                    "`op.call`", "TimeLimitedCallBenchmark.cancelableCall",
                    Kind.FASTER_THAN, 1.0, null),
            new Row("Java `op.supplyAsync` with a timeout (same one-thread executor)",
                    "`CompletableFuture.supplyAsync` + `orTimeout`", "AsyncCallBenchmark.completableFutureSupplyAsync",
                    "`op.supplyAsync`", "AsyncCallBenchmark.cancelableSupplyAsync",
                    Kind.REFERENCE, 0, null),
            new Row("`Flow` wrapping, per item",
                    "raw `collect`", "FlowBenchmark.kotlinxCollect",
                    "`flow.cancelable()` in a running operation", "FlowBenchmark.cancelableStream",
                    Kind.RATIO_AT_MOST, 2.0, null),
            new Row("Ktor: a request through a route with the plugin (in-memory test engine)",
                    "the same route without it", "KtorPluginBenchmark.plainRoute",
                    "`install(CancelableCalls)`", "KtorPluginBenchmark.withPlugin",
                    Kind.REFERENCE, 0, null),
            new Row("gRPC: a unary call with the server interceptor (in-process transport)",
                    "bare unary call", "GrpcInterceptorBenchmark.bareUnaryCall",
                    "`CancelableServerInterceptor`", "GrpcInterceptorBenchmark.withServerInterceptor",
                    Kind.REFERENCE, 0, null),
            new Row("gRPC: a unary call with the client interceptor",
                    "bare unary call", "GrpcInterceptorBenchmark.bareUnaryCall",
                    "`CancelableClientInterceptor`", "GrpcInterceptorBenchmark.withClientInterceptor",
                    Kind.REFERENCE, 0, null),
            new Row("gRPC: a unary call with both interceptors",
                    "bare unary call", "GrpcInterceptorBenchmark.bareUnaryCall",
                    "both", "GrpcInterceptorBenchmark.withBothInterceptors",
                    Kind.REFERENCE, 0, null),
            new Row("an operation with the Micrometer binder bound",
                    "the same operation, no listener", "ObservabilityBenchmark.privateRegistryNoListener",
                    "`OperationMetrics`", "ObservabilityBenchmark.micrometerBinder",
                    Kind.REFERENCE, 0, null),
            new Row("an operation traced as an OpenTelemetry span",
                    "the same operation, no listener", "ObservabilityBenchmark.privateRegistryNoListener",
                    "`OperationTracing` (SDK, discarding exporter)", "ObservabilityBenchmark.openTelemetryTracing",
                    Kind.REFERENCE, 0, null),
            new Row("the same, with the span current inside the operation",
                    "the same operation, no listener", "ObservabilityBenchmark.privateRegistryNoListener",
                    "`OperationTracing` + `asContextElement()`", "ObservabilityBenchmark.openTelemetryTracingSpanCurrent",
                    Kind.REFERENCE, 0, null),
            new Row("memory per live operation with a timeout",
                    "kotlinx `withTimeout`, live", "memory.kotlinxWithTimeoutLive",
                    "live operation, registry on", "memory.cancelableWithTimeoutLive",
                    Kind.BYTES_AT_MOST, 512, null),
            new Row("memory per history entry",
                    "—", null,
                    "finished operation in the ring", "memory.historyEntry",
                    Kind.BYTES_AT_MOST, 180, null));

    private BudgetTable() {
    }
}

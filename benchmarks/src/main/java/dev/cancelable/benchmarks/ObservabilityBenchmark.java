package dev.cancelable.benchmarks;

import dev.cancelable.micrometer.OperationMetrics;
import dev.cancelable.opentelemetry.OperationTracing;
import dev.cancelable.registry.OperationRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;

/**
 * What observing an operation costs: {@code Cancelable(registry = r).run {}} on a private registry with
 * nothing listening, with the Micrometer binder bound to a {@code SimpleMeterRegistry}, and with the
 * OpenTelemetry tracing (SDK, simple processor, an exporter that discards), without and with its
 * context element making each span current in its block.
 */
@State(Scope.Benchmark)
public class ObservabilityBenchmark extends SuiteDefaults {
    private OperationRegistry plain;
    private OperationRegistry metered;
    private OperationRegistry traced;
    private OperationMetrics metrics;
    private SdkTracerProvider tracerProvider;
    private OperationTracing tracing;

    @Setup
    public void setUp() {
        plain = new OperationRegistry();
        metered = new OperationRegistry();
        metrics = OperationMetrics.builder().registry(metered).build();
        metrics.bindTo(new SimpleMeterRegistry());
        traced = new OperationRegistry();
        tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite(List.of())))   // exports nowhere
                .build();
        tracing = OperationTracing.builder(tracerProvider.get("benchmark")).build();
        tracing.bindTo(traced);
    }

    @TearDown
    public void tearDown() {
        metrics.close();
        tracing.close();
        tracerProvider.close();
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long privateRegistryNoListener() {
        return Operations.plainRunLoop(Primitives.OPS, plain);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long micrometerBinder() {
        return Operations.plainRunLoop(Primitives.OPS, metered);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long openTelemetryTracing() {
        return Operations.plainRunLoop(Primitives.OPS, traced);
    }

    @Benchmark
    @OperationsPerInvocation(Primitives.OPS)
    public long openTelemetryTracingSpanCurrent() {
        return Observability.plainRunLoopIn(Primitives.OPS, traced, tracing.asContextElement());
    }
}

package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.opentelemetry.OperationAttributes;
import dev.cancelable.opentelemetry.OperationTracing;
import dev.cancelable.registry.OperationRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Operations traced with OpenTelemetry: a checkout with two child operations, one canceled by its
 * timeout, becomes a tree of three spans with the outcome as attributes and the cancel as an event.
 * The exporter here keeps the spans to print them; a real one sends them to a collector.
 */
public final class TracingExample {
    private TracingExample() {
    }

    public static void main(String[] args) throws Exception {
        KeepingExporter exporter = new KeepingExporter();
        // region readme:tracing
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .build();
        OperationRegistry operations = new OperationRegistry();     // or OperationRegistry.getGlobal(), the default
        OperationTracing tracing = OperationTracing.builder(openTelemetry).build();
        tracing.bindTo(operations);

        Cancelables.operation("checkout").registry(operations).build().call(ctx -> {
            Scope scope = tracing.makeCurrent(ctx.getId());              // Span.current() is checkout's span
            try {
                System.out.println("checkout sees its own span: " + Span.current().equals(tracing.spanOf(ctx.getId())));
                Cancelables.operation("reserve-stock").registry(operations).build().call(child -> {
                    child.sleep(Duration.ofMillis(10));
                    return null;
                });
                try {
                    Cancelables.operation("charge-card").timeout(Duration.ofMillis(30)).registry(operations).build().call(child -> {
                        child.sleep(Duration.ofSeconds(1));            // the payment provider hangs
                        return null;
                    });
                } catch (CanceledByTimeoutException e) {
                    // the span of charge-card records it
                }
            } finally {
                scope.close();
            }
            return null;
        });
        tracing.close();
        // endregion
        exporter.printTree();
    }

    /** Keeps every ended span, then prints them as a tree: name, outcome, parent, events. */
    private static final class KeepingExporter implements SpanExporter {
        private final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        void printTree() {
            Map<String, String> names = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, SpanData::getName));
            spans.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).forEach(span -> {
                String parent = names.get(span.getParentSpanId());
                String reason = span.getAttributes().get(OperationAttributes.REASON);
                System.out.println((parent == null ? "" : "  ") + span.getName() + ": " + span.getAttributes().get(OperationAttributes.STATUS)
                        + (reason == null ? "" : " (" + reason + ")") + ", " + (parent == null ? "root span" : "child of " + parent)
                        + ", events " + span.getEvents().stream().map(e -> e.getName()).collect(Collectors.toList()));
            });
        }
    }
}

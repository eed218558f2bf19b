package dev.cancelable.opentelemetry;

import dev.cancelable.facade.Cancelables;
import dev.cancelable.registry.OperationRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tracing from Java: every public method, facade operations on threads, makeCurrent in blocking code. */
class OperationTracingJavaTest {

    @Test
    void javaFacadeOperationsBecomeSpansAndMakeCurrentShowsThemToBlockingCode_scenario187() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .build();
        OperationRegistry operations = new OperationRegistry();
        try (OperationTracing tracing = OperationTracing.builder(otel).mode(SpanMode.SPAN_PER_OPERATION).progressEvents(false).build()) {
            AutoCloseable binding = tracing.bindTo(operations);
            assertSame(tracing.asContextElement(), tracing.asContextElement());

            SpanContext seen = Cancelables.operation("export").registry(operations).build().call(ctx -> {
                assertNotNull(tracing.spanOf(ctx.getId()));
                assertNotNull(tracing.contextOf(ctx.getId()));
                try (Scope ignored = tracing.makeCurrent(ctx.getId())) {
                    return Span.current().getSpanContext();
                }
            });
            assertFalse(Span.current().getSpanContext().isValid());

            CompletableFuture<Object> slow = Cancelables.operation("slow").timeout(Duration.ofMillis(50)).registry(operations).build()
                    .supplyAsync(ctx -> {
                        ctx.sleep(Duration.ofMinutes(1));
                        return null;
                    });
            assertThrows(Exception.class, () -> slow.get(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (exporter.getFinishedSpanItems().size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();

            SpanData export = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("export")).findFirst().orElseThrow();
            assertEquals(export.getSpanContext(), seen);
            assertEquals("completed", export.getAttributes().get(OperationAttributes.STATUS));
            SpanData slowSpan = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("slow")).findFirst().orElseThrow();
            assertEquals("timeout", slowSpan.getAttributes().get(OperationAttributes.REASON));
            assertEquals(OperationAttributes.CANCEL_EVENT, slowSpan.getEvents().get(0).getName());
            assertEquals(0, tracing.getOpenSpanCount());
            assertNull(tracing.spanOf("unknown"));
            try (Scope noop = tracing.makeCurrent("unknown")) {
                assertFalse(Span.current().getSpanContext().isValid());
            }
            binding.close();
            Cancelables.operation("unbound").registry(operations).build().call(ctx -> null);
            assertTrue(exporter.getFinishedSpanItems().stream().noneMatch(s -> s.getName().equals("unbound")));
            assertEquals("dev.cancelable", OperationTracing.INSTRUMENTATION_NAME);
        }
    }
}

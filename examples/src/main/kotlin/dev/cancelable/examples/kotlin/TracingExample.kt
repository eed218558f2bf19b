package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.opentelemetry.OperationAttributes
import dev.cancelable.opentelemetry.OperationTracing
import dev.cancelable.registry.OperationRegistry
import io.opentelemetry.api.trace.Span
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.common.CompletableResultCode
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import io.opentelemetry.sdk.trace.export.SpanExporter
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Operations traced with OpenTelemetry: a checkout with two child operations, one canceled by its
 * timeout, becomes a tree of three spans with the outcome as attributes and the cancel as an event.
 * The exporter here keeps the spans to print them; a real one sends them to a collector.
 */
object TracingExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val exporter = KeepingExporter()
        // region readme:tracing
        val openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build()
        val operations = OperationRegistry()                       // or OperationRegistry.global, the default
        val tracing = OperationTracing.builder(openTelemetry).build()
        tracing.bindTo(operations)

        withContext(tracing.asContextElement()) {                  // Span.current() is the running operation's span
            Cancelable(name = "checkout", registry = operations).run {
                println("checkout sees its own span: ${Span.current() == tracing.spanOf(operation.id)}")
                coroutineScope {
                    launch { Cancelable(name = "reserve-stock", registry = operations).run { delay(10.milliseconds) } }
                    launch {
                        Cancelable(name = "charge-card", timeout = 30.milliseconds, registry = operations).runOrNull {
                            delay(1.seconds)                           // the payment provider hangs
                        }
                    }
                }
            }
        }
        tracing.close()
        // endregion
        exporter.printTree()
    }

    /** Keeps every ended span, then prints them as a tree: name, outcome, parent, events. */
    private class KeepingExporter : SpanExporter {
        private val spans = CopyOnWriteArrayList<SpanData>()

        override fun export(spans: Collection<SpanData>): CompletableResultCode {
            this.spans.addAll(spans)
            return CompletableResultCode.ofSuccess()
        }

        override fun flush(): CompletableResultCode = CompletableResultCode.ofSuccess()

        override fun shutdown(): CompletableResultCode = CompletableResultCode.ofSuccess()

        fun printTree() {
            val names = spans.associate { it.spanId to it.name }
            for (span in spans.sortedBy { it.startEpochNanos }) {
                val parent = names[span.parentSpanId]
                val reason = span.attributes.get(OperationAttributes.REASON)?.let { " ($it)" } ?: ""
                println(
                    (if (parent == null) "" else "  ") + "${span.name}: ${span.attributes.get(OperationAttributes.STATUS)}$reason, " +
                        (if (parent == null) "root span" else "child of $parent") + ", events ${span.events.map { it.name }}",
                )
            }
        }
    }
}

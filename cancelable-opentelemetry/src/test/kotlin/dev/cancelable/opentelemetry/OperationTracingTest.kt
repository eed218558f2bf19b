package dev.cancelable.opentelemetry

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanContext
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/** A tracer provider exporting every ended span to memory, synchronously. */
private class Sdk {
    val exporter: InMemorySpanExporter = InMemorySpanExporter.create()
    val provider: SdkTracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()
    val tracer = provider.get("test")
    val spans: List<SpanData> get() = exporter.finishedSpanItems
    fun span(name: String): SpanData = spans.single { it.name == name }
}

private fun SpanData.attr(key: io.opentelemetry.api.common.AttributeKey<String>): String? = attributes.get(key)

class OperationTracingTest : FunSpec({

    afterEach { Span.current().spanContext.isValid shouldBe false }     // no test leaves a span current

    test("a parent with two children, one canceled by timeout, gives a span tree with the right parents, attributes and event [scenario 180]") {
        val sdk = Sdk()
        val operations = OperationRegistry()
        val tracing = OperationTracing.builder(sdk.tracer).build()
        tracing.bindTo(operations)
        var seenInParent: SpanContext? = null
        var seenInChild: SpanContext? = null
        runTest {
            withContext(tracing.asContextElement()) {
                Cancelable(name = "checkout", registry = operations).run {
                    seenInParent = Span.current().spanContext
                    coroutineScope {
                        launch { Cancelable(name = "reserve", registry = operations).run { delay(1.seconds) } }
                        launch {
                            Cancelable(name = "charge", timeout = 2.seconds, registry = operations).runOrNull {
                                seenInChild = Span.current().spanContext
                                delay(10.seconds)
                            }
                        }
                    }
                }
            }
        }
        sdk.spans.map { it.name }.toSet() shouldBe setOf("checkout", "reserve", "charge")
        val checkout = sdk.span("checkout")
        val reserve = sdk.span("reserve")
        val charge = sdk.span("charge")
        checkout.parentSpanContext.isValid shouldBe false
        reserve.parentSpanId shouldBe checkout.spanId
        charge.parentSpanId shouldBe checkout.spanId
        setOf(reserve.traceId, charge.traceId) shouldBe setOf(checkout.traceId)
        seenInParent shouldBe checkout.spanContext
        seenInChild shouldBe charge.spanContext

        checkout.attr(OperationAttributes.STATUS) shouldBe "completed"
        checkout.attr(OperationAttributes.REASON).shouldBeNull()
        reserve.attr(OperationAttributes.STATUS) shouldBe "completed"
        reserve.events.shouldBeEmpty()
        charge.attr(OperationAttributes.STATUS) shouldBe "canceled"
        charge.attr(OperationAttributes.REASON) shouldBe "timeout"
        charge.attr(OperationAttributes.MESSAGE)!! shouldContain "timed out"
        charge.attr(OperationAttributes.NAME) shouldBe "charge"
        charge.attr(OperationAttributes.PARENT_ID) shouldBe checkout.attr(OperationAttributes.ID)
        charge.status.statusCode shouldBe StatusCode.UNSET
        charge.events.map { it.name } shouldContainExactly listOf(OperationAttributes.CANCEL_EVENT)
        charge.events.single().attributes.get(OperationAttributes.REASON) shouldBe "timeout"
        tracing.openSpanCount shouldBe 0
        tracing.close()
    }

    test("no span is left open after 10,000 operations: one exported span each and an empty map [scenario 181]") {
        val sdk = Sdk()
        val operations = OperationRegistry(historyLimit = 0)
        OperationTracing.builder(sdk.tracer).build().use { tracing ->
            tracing.bindTo(operations)
            runBlocking(tracing.asContextElement()) {
                repeat(10_000) { i ->
                    runCatching {
                        Cancelable(name = "op", timeout = if (i % 10 == 0) Duration.ZERO else null, registry = operations).run {
                            if (i % 7 == 0) error("failure $i")
                            if (i % 5 == 0) operation.cancel()
                        }
                    }
                }
            }
            sdk.spans.size shouldBe 10_000
            tracing.openSpanCount shouldBe 0
            sdk.spans.count { it.status.statusCode == StatusCode.ERROR } shouldBe sdk.spans.count { it.attr(OperationAttributes.STATUS) == "failed" }
        }
    }

    test("code inside an operation sees its span as current across dispatcher and thread hops, and the thread is clean afterwards [scenario 182]") {
        val sdk = Sdk()
        val operations = OperationRegistry()
        OperationTracing.builder(sdk.tracer).build().use { tracing ->
            tracing.bindTo(operations)
            runBlocking(tracing.asContextElement()) {
                val callerThread = Thread.currentThread()
                Cancelable(name = "hop", registry = operations).run {
                    val own = tracing.spanOf(operation.id).shouldNotBeNull().spanContext
                    Span.current().spanContext shouldBe own
                    withContext(Dispatchers.IO) {
                        Thread.currentThread() shouldNotBe callerThread
                        Span.current().spanContext shouldBe own
                    }
                    launch(Dispatchers.Default) { Span.current().spanContext shouldBe own }.join()
                    Span.current().spanContext shouldBe own
                }
                Span.current().spanContext.isValid shouldBe false
                withContext(Dispatchers.IO) { Span.current().spanContext.isValid shouldBe false }
            }
            sdk.span("hop").attr(OperationAttributes.STATUS) shouldBe "completed"
        }
    }

    test("a parent known only by id maps to its span, across registries; an unknown one leaves the current span as parent [scenario 183]") {
        val sdk = Sdk()
        val client = OperationRegistry()
        val server = OperationRegistry()
        OperationTracing.builder(sdk.tracer).build().use { tracing ->
            tracing.bindTo(client)
            tracing.bindTo(server)
            runBlocking {
                Cancelable(name = "call", registry = client).run {
                    val callerId = operation.id
                    // The serving side knows the caller only by the id that came with the request, on its own thread.
                    CompletableFuture.supplyAsync {
                        Cancelable(name = "serve", remoteParentId = callerId, registry = server).callBlocking { }
                    }.get(10, TimeUnit.SECONDS)
                }
            }
            val incoming = sdk.tracer.spanBuilder("incoming request").startSpan()
            incoming.makeCurrent().use {
                Cancelable(name = "serve-remote", remoteParentId = "0123456789abcdef0123456789abcdef", registry = server).callBlocking { }
            }
            incoming.end()
        }
        val call = sdk.span("call")
        val serve = sdk.span("serve")
        serve.parentSpanId shouldBe call.spanId
        serve.traceId shouldBe call.traceId
        serve.attr(OperationAttributes.PARENT_ID) shouldBe call.attr(OperationAttributes.ID)
        val remote = sdk.span("serve-remote")
        remote.parentSpanId shouldBe sdk.span("incoming request").spanId
        remote.attr(OperationAttributes.PARENT_ID) shouldBe "0123456789abcdef0123456789abcdef"
    }

    test("in annotate mode the current span gets the operation's attributes and events and is not ended; without one nothing is traced [scenario 184]") {
        val sdk = Sdk()
        val operations = OperationRegistry()
        OperationTracing.builder(sdk.tracer).mode(SpanMode.ANNOTATE_CURRENT_SPAN).progressEvents(true).build().use { tracing ->
            tracing.bindTo(operations)
            val request = sdk.tracer.spanBuilder("GET /orders").startSpan()
            request.makeCurrent().use {
                shouldThrow<dev.cancelable.CanceledManuallyException> {
                    Cancelable(name = "orders", registry = operations).callBlocking { op ->
                        op.reportProgress("page 1")
                        op.cancel(CancellationReason.MANUAL, "client went away")
                        op.throwIfCanceled()
                    }
                }
            }
            sdk.spans.shouldBeEmpty()
            tracing.openSpanCount shouldBe 0
            request.end()
            Cancelable(name = "untraced", registry = operations).callBlocking { tracing.openSpanCount } shouldBe 0
        }
        val request = sdk.spans.single()
        request.name shouldBe "GET /orders"
        request.attr(OperationAttributes.NAME) shouldBe "orders"
        request.attr(OperationAttributes.STATUS) shouldBe "canceled"
        request.attr(OperationAttributes.REASON) shouldBe "manual"
        request.attr(OperationAttributes.MESSAGE) shouldBe "client went away"
        request.events.map { it.name } shouldContainExactly listOf(
            OperationAttributes.START_EVENT, OperationAttributes.PROGRESS_EVENT, OperationAttributes.CANCEL_EVENT, OperationAttributes.END_EVENT,
        )
        request.events[1].attributes.get(OperationAttributes.PROGRESS_MESSAGE) shouldBe "page 1"
    }

    test("a failed operation's span has status ERROR with the error; a cancel the block caught keeps its reason on a completed span [scenario 185]") {
        val sdk = Sdk()
        val operations = OperationRegistry()
        OperationTracing.builder(sdk.tracer).build().use { tracing ->
            tracing.bindTo(operations)
            runBlocking {
                shouldThrow<IllegalStateException> { Cancelable(name = "broken", registry = operations).run { error("boom") } }
                Cancelable(name = "stubborn", registry = operations).run {
                    operation.cancel(CancellationReason.MANUAL, "please stop")
                    try { delay(1) } catch (_: kotlinx.coroutines.CancellationException) { }
                    "done anyway"
                } shouldBe "done anyway"
            }
        }
        val broken = sdk.span("broken")
        broken.status.statusCode shouldBe StatusCode.ERROR
        broken.status.description shouldContain "boom"
        broken.attr(OperationAttributes.STATUS) shouldBe "failed"
        val stubborn = sdk.span("stubborn")
        stubborn.attr(OperationAttributes.STATUS) shouldBe "completed"
        stubborn.attr(OperationAttributes.REASON) shouldBe "manual"
        stubborn.events.map { it.name } shouldContainExactly listOf(OperationAttributes.CANCEL_EVENT)
    }

    test("closing ends the spans of running operations and stops tracing; a closed tracing refuses to bind [scenario 186]") {
        val sdk = Sdk()
        val operations = OperationRegistry()
        val tracing = OperationTracing.builder(sdk.tracer).build()
        val binding = tracing.bindTo(operations)
        runBlocking {
            val release = CompletableDeferred<Unit>()
            val running = launch { Cancelable(name = "long", registry = operations).run { release.await() } }
            while (tracing.openSpanCount == 0) kotlinx.coroutines.yield()
            tracing.close()
            sdk.span("long").attr(OperationAttributes.STATUS).shouldBeNull()
            tracing.openSpanCount shouldBe 0
            release.complete(Unit)
            running.join()
            Cancelable(name = "after", registry = operations).run { }
        }
        sdk.spans.map { it.name } shouldContainExactly listOf("long")
        binding.close()                                            // idempotent after close
        shouldThrow<IllegalStateException> { tracing.bindTo(operations) }
        tracing.toString() shouldContain "registries=0"
    }
})

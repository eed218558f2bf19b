package dev.cancelable.opentelemetry.internal

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationContext
import dev.cancelable.OperationStatus
import dev.cancelable.ProgressReport
import dev.cancelable.opentelemetry.OperationAttributes
import dev.cancelable.opentelemetry.SpanMode
import dev.cancelable.registry.OperationListener
import dev.cancelable.registry.OperationSnapshot
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.api.common.AttributesBuilder
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.Tracer
import io.opentelemetry.context.Context
import java.util.concurrent.ConcurrentHashMap

/**
 * Turns registry events into spans: at the start a span (or the current one, annotated) is recorded in
 * [traced] under the operation's id, at the end it gets the outcome and leaves the map, so the map
 * holds exactly the traced operations that are running. Thread-safe: events of many operations arrive
 * on many threads; one operation's events arrive in order.
 */
internal class SpanListener(
    private val tracer: Tracer,
    private val mode: SpanMode,
    private val progressEvents: Boolean,
    private val traced: ConcurrentHashMap<String, TracedOperation>,
) : OperationListener {

    override fun onStarted(operation: OperationContext) {
        val entry = when (mode) {
            SpanMode.SPAN_PER_OPERATION -> startSpan(operation)
            SpanMode.ANNOTATE_CURRENT_SPAN -> annotateCurrent(operation) ?: return
        }
        if (traced.putIfAbsent(operation.id, entry) != null) return
        if (operation is Cancelable) {
            entry.cancelHook = operation.onCancelRequested { cancellation ->
                addCancelEvent(entry, operation.id, cancellation.reason, cancellation.message)
            }
        }
    }

    /** A span of its own, child of the parent operation's span when that one is traced, else of the current context. */
    private fun startSpan(operation: OperationContext): TracedOperation {
        val parentId = operation.parentId
        val parent = parentId?.let { traced[it]?.context } ?: Context.current()
        val builder = tracer.spanBuilder(operation.name)
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(OperationAttributes.ID, operation.id)
            .setAttribute(OperationAttributes.NAME, operation.name)
        if (parentId != null) builder.setAttribute(OperationAttributes.PARENT_ID, parentId)
        val span = builder.startSpan()
        return TracedOperation(span, parent.with(span), owned = true)
    }

    private fun annotateCurrent(operation: OperationContext): TracedOperation? {
        val context = Context.current()
        val span = Span.fromContext(context)
        if (!span.spanContext.isValid) return null
        span.setAttribute(OperationAttributes.ID, operation.id)
        span.setAttribute(OperationAttributes.NAME, operation.name)
        operation.parentId?.let { span.setAttribute(OperationAttributes.PARENT_ID, it) }
        span.addEvent(OperationAttributes.START_EVENT, Attributes.of(OperationAttributes.ID, operation.id, OperationAttributes.NAME, operation.name))
        return TracedOperation(span, context, owned = false)
    }

    override fun onProgress(report: ProgressReport) {
        if (!progressEvents) return
        val reporter = report.operation
        val entry = traced[reporter.id] ?: return
        val attributes = Attributes.builder().put(OperationAttributes.PROGRESS_MESSAGE, report.message)
        if (!entry.owned) attributes.put(OperationAttributes.ID, reporter.id)
        entry.span.addEvent(OperationAttributes.PROGRESS_EVENT, attributes.build())
    }

    override fun onFinished(snapshot: OperationSnapshot) {
        val entry = traced.remove(snapshot.id) ?: return
        entry.cancelHook?.dispose()
        val reason = snapshot.cancelReason
        // A cancel no hook saw (the caller's own cancellation, recorded as the operation ended).
        if (reason != null && snapshot.status == OperationStatus.CANCELED) addCancelEvent(entry, snapshot.id, reason, snapshot.cancelMessage)
        val span = entry.span
        span.setAttribute(OperationAttributes.STATUS, snapshot.status.toString())
        if (reason != null) span.setAttribute(OperationAttributes.REASON, reason.toString())
        snapshot.cancelMessage?.let { span.setAttribute(OperationAttributes.MESSAGE, it) }
        snapshot.canceledBy?.let { span.setAttribute(OperationAttributes.CANCELED_BY, it) }
        if (!entry.owned) {
            span.addEvent(OperationAttributes.END_EVENT, endAttributes(snapshot))
            return
        }
        if (snapshot.status == OperationStatus.FAILED) span.setStatus(StatusCode.ERROR, snapshot.error ?: "failed")
        span.end()
    }

    private fun endAttributes(snapshot: OperationSnapshot): Attributes {
        val builder: AttributesBuilder = Attributes.builder()
            .put(OperationAttributes.ID, snapshot.id)
            .put(OperationAttributes.STATUS, snapshot.status.toString())
        snapshot.cancelReason?.let { builder.put(OperationAttributes.REASON, it.toString()) }
        snapshot.cancelMessage?.let { builder.put(OperationAttributes.MESSAGE, it) }
        return builder.build()
    }

    private fun addCancelEvent(entry: TracedOperation, id: String, reason: CancellationReason, message: String?) {
        if (!entry.cancelEventAdded.compareAndSet(false, true)) return
        val attributes = Attributes.builder().put(OperationAttributes.REASON, reason.toString())
        if (message != null) attributes.put(OperationAttributes.MESSAGE, message)
        if (!entry.owned) attributes.put(OperationAttributes.ID, id)
        entry.span.addEvent(OperationAttributes.CANCEL_EVENT, attributes.build())
    }
}

package dev.cancelable.opentelemetry

import dev.cancelable.opentelemetry.internal.OperationSpanElement
import dev.cancelable.opentelemetry.internal.SpanListener
import dev.cancelable.opentelemetry.internal.TracedOperation
import dev.cancelable.registry.OperationRegistry
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.Tracer
import io.opentelemetry.context.Context
import io.opentelemetry.context.Scope
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.coroutines.CoroutineContext

/**
 * Traces the operations of one or more [OperationRegistry]s with OpenTelemetry: each operation becomes
 * a span ([SpanMode.SPAN_PER_OPERATION], the default) or annotates the span current where it starts
 * ([SpanMode.ANNOTATE_CURRENT_SPAN]).
 *
 * A span is named after its operation and carries [OperationAttributes.ID] and [OperationAttributes.NAME]
 * from the start, and [OperationAttributes.STATUS], [OperationAttributes.REASON],
 * [OperationAttributes.MESSAGE] and [OperationAttributes.CANCELED_BY] at the end; a cancel request adds
 * the event [OperationAttributes.CANCEL_EVENT] at the moment it is made. A failed operation's span has
 * status ERROR with the error as description; a canceled one keeps status UNSET, as OpenTelemetry's own
 * instrumentations end canceled futures: a cancel is an outcome, not an error. The parent of an
 * operation's span is its parent operation's span whenever that operation is traced here (found by id,
 * so also a parent in another bound registry, or one named by `remoteParentId`); otherwise the context
 * current where the operation starts (a server span, say), with the parent's id as
 * [OperationAttributes.PARENT_ID].
 *
 * While an operation runs, code inside it sees its span as `Span.current()`: for coroutines, add
 * [asContextElement] once to an outer coroutine context (it follows every coroutine and thread hop
 * from there); for blocking code, wrap the work in [makeCurrent].
 *
 * ```kotlin
 * val tracing = OperationTracing.builder(openTelemetry).build()
 * tracing.bindTo(OperationRegistry.global)
 * withContext(tracing.asContextElement()) {
 *     Cancelable(name = "checkout", timeout = 5.seconds).run { Span.current() }   // checkout's span
 * }
 * ```
 *
 * Per-operation state lives in a map keyed by operation id from start to end, so nothing of a finished
 * operation stays ([openSpanCount] is zero when nothing runs). Operations that started before [bindTo]
 * are not traced. [close] removes every listener and ends the spans of operations still running.
 *
 * Thread-safe: operations may start and end on any thread while registries are bound and unbound.
 */
public class OperationTracing private constructor(
    tracer: Tracer,
    mode: SpanMode,
    progressEvents: Boolean,
) : AutoCloseable {
    private val traced = ConcurrentHashMap<String, TracedOperation>()
    private val listener = SpanListener(tracer, mode, progressEvents, traced)
    private val bindings = CopyOnWriteArrayList<AutoCloseable>()
    private val element = OperationSpanElement { traced[it] }

    @Volatile
    private var closed = false

    /**
     * Traces the operations of [registry] from now on; close the returned handle to stop. Binding
     * the same registry twice traces it twice: don't.
     *
     * @throws IllegalStateException if this tracing was closed.
     */
    public fun bindTo(registry: OperationRegistry): AutoCloseable = synchronized(this) {
        check(!closed) { "this OperationTracing was closed" }
        val handle = registry.addListener(listener)
        lateinit var binding: AutoCloseable
        binding = AutoCloseable {
            handle.close()
            bindings.remove(binding)
        }
        bindings.add(binding)
        binding
    }

    /**
     * The coroutine context element that makes a running operation's span current on every thread its
     * coroutines run on: `withContext(tracing.asContextElement()) { ... }`, or add it to a scope's or
     * `runBlocking`'s context. One instance; coroutines outside traced operations are left as they are.
     */
    public fun asContextElement(): CoroutineContext.Element = element

    /** The span of the running operation [operationId], or null when it is not traced (or has ended). */
    public fun spanOf(operationId: String): Span? = traced[operationId]?.span

    /** The context (its span over what was current at its start) of the running operation [operationId], or null. */
    public fun contextOf(operationId: String): Context? = traced[operationId]?.context

    /**
     * Makes the running operation [operationId]'s span current on this thread until the returned scope
     * is closed (a no-op scope when it is not traced): for blocking code, e.g. inside a Java facade call,
     * `try (Scope s = tracing.makeCurrent(ctx.getId())) { ... }`. Close it on the same thread.
     */
    public fun makeCurrent(operationId: String): Scope = traced[operationId]?.context?.makeCurrent() ?: Scope.noop()

    /** How many traced operations are running now: each holds one entry until it ends. */
    public val openSpanCount: Int get() = traced.size

    /** Removes every registry listener and ends the spans of operations still running (as they are). Idempotent. */
    override fun close() {
        synchronized(this) {
            if (closed) return
            closed = true
        }
        bindings.toList().forEach { it.close() }
        for (id in traced.keys.toList()) {
            val entry = traced.remove(id) ?: continue
            entry.cancelHook?.dispose()
            if (entry.owned) entry.span.end()
        }
    }

    override fun toString(): String = "OperationTracing(open=${traced.size}, registries=${bindings.size})"

    /**
     * Configures an [OperationTracing]. Not thread-safe: configure on one thread, then [build]; each
     * build makes a new, unbound tracing.
     */
    public class Builder internal constructor(private val tracer: Tracer) {
        private var mode = SpanMode.SPAN_PER_OPERATION
        private var progressEvents = false

        /** A span per operation (default) or annotations on the current span. */
        public fun mode(mode: SpanMode): Builder = apply { this.mode = mode }

        /** Adds a [OperationAttributes.PROGRESS_EVENT] for each progress report (default false: streams report often). */
        public fun progressEvents(enabled: Boolean): Builder = apply { progressEvents = enabled }

        /** A new tracing, bound to no registry yet. */
        public fun build(): OperationTracing = OperationTracing(tracer, mode, progressEvents)
    }

    public companion object {
        /** The instrumentation scope name of the tracer taken from an [OpenTelemetry]. */
        public const val INSTRUMENTATION_NAME: String = "dev.cancelable"

        /** A builder tracing with [openTelemetry]'s tracer named [INSTRUMENTATION_NAME]. */
        @JvmStatic
        public fun builder(openTelemetry: OpenTelemetry): Builder = Builder(openTelemetry.getTracer(INSTRUMENTATION_NAME))

        /** A builder tracing with [tracer]. */
        @JvmStatic
        public fun builder(tracer: Tracer): Builder = Builder(tracer)
    }
}

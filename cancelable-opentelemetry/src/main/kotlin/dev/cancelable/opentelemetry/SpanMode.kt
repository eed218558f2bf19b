package dev.cancelable.opentelemetry

/** How [OperationTracing] shows an operation in a trace. Immutable, as every enum. */
public enum class SpanMode {
    /**
     * Each operation becomes its own span (kind INTERNAL, named after the operation), a child of its
     * parent operation's span, ended when the operation finishes. The default.
     */
    SPAN_PER_OPERATION,

    /**
     * No new span: the span current where the operation starts (an HTTP or gRPC server span, say)
     * receives the operation's attributes and events; it is never ended here. Operations that start
     * with no current span are not traced.
     */
    ANNOTATE_CURRENT_SPAN,
}

package dev.cancelable.opentelemetry.internal

import io.opentelemetry.api.trace.Span
import io.opentelemetry.context.Context
import kotlinx.coroutines.DisposableHandle
import java.util.concurrent.atomic.AtomicBoolean

/**
 * What is kept of one traced operation between its start and its end: its span, the context to make
 * current while it runs (the span over the context it started in), whether the span is its own (ended
 * at its end) or an annotated one, and its cancel hook. Thread-safe: the cancel hook may run on any thread.
 */
internal class TracedOperation(val span: Span, val context: Context, val owned: Boolean) {
    /** Set by whoever adds the cancel event first: the cancel hook, or the end if no hook saw it. */
    val cancelEventAdded: AtomicBoolean = AtomicBoolean()

    @Volatile
    var cancelHook: DisposableHandle? = null
}

package dev.cancelable.opentelemetry.internal

import dev.cancelable.Cancelable
import io.opentelemetry.context.Scope
import kotlinx.coroutines.ThreadContextElement
import kotlin.coroutines.CoroutineContext

/**
 * Makes the span of the innermost traced operation current on whatever thread a coroutine runs, for
 * as long as it runs there: each time the coroutine resumes, the operation in its context is looked
 * up by id and its context made current; the scope is closed when it suspends or ends, which puts
 * back what the thread had. Coroutines outside any traced operation leave the thread as it is.
 * Immutable; one instance serves every coroutine.
 */
internal class OperationSpanElement(private val lookup: (String) -> TracedOperation?) : ThreadContextElement<Scope?> {
    override val key: CoroutineContext.Key<*> get() = Key

    override fun updateThreadContext(context: CoroutineContext): Scope? {
        val operation = context[Cancelable] ?: return null
        return lookup(operation.id)?.context?.makeCurrent()
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Scope?) {
        oldState?.close()
    }

    override fun toString(): String = "OperationSpanElement"

    companion object Key : CoroutineContext.Key<OperationSpanElement>
}

package dev.cancelable

import kotlinx.coroutines.ThreadContextElement
import org.slf4j.MDC
import kotlin.coroutines.CoroutineContext

/**
 * Makes [operation] visible to plain code on whatever thread a coroutine runs: while the coroutine
 * runs on a thread, `Cancelable.current()` returns the operation (when [currentOperation]) and the
 * slf4j MDC holds its id and name under [MDC_ID] and [MDC_NAME] (when [mdc]). What was there before
 * is put back each time the coroutine leaves the thread, so nesting and thread pools stay clean.
 *
 * Add it to a coroutine context: `withContext(OperationThreadElement(op)) { ... }`. Immutable.
 */
internal class OperationThreadElement(
    val operation: CancelableImpl,
    private val currentOperation: Boolean = true,
    private val mdc: Boolean = true,
) : ThreadContextElement<OperationThreadElement.Saved> {

    /** What the thread had before this element was installed. */
    internal class Saved(val operation: CancelableImpl?, val id: String?, val name: String?)

    override val key: CoroutineContext.Key<*> get() = Key

    override fun updateThreadContext(context: CoroutineContext): Saved {
        val previous = if (currentOperation) CurrentOperationThreadLocal.enter(operation) else null
        if (!mdc) return Saved(previous, null, null)
        val saved = Saved(previous, MDC.get(MDC_ID), MDC.get(MDC_NAME))
        MDC.put(MDC_ID, operation.id)
        MDC.put(MDC_NAME, operation.name)
        return saved
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Saved) {
        if (currentOperation) CurrentOperationThreadLocal.restore(oldState.operation)
        if (mdc) {
            restoreMdc(MDC_ID, oldState.id)
            restoreMdc(MDC_NAME, oldState.name)
        }
    }

    override fun toString(): String = "OperationThreadElement(${operation.id})"

    companion object Key : CoroutineContext.Key<OperationThreadElement> {
        /** MDC key of the running operation's id. */
        const val MDC_ID = "cancelable.operationId"

        /** MDC key of the running operation's name. */
        const val MDC_NAME = "cancelable.operationName"

        private fun restoreMdc(key: String, value: String?) {
            if (value == null) MDC.remove(key) else MDC.put(key, value)
        }
    }
}

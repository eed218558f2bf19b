package dev.cancelable

import dev.cancelable.internal.CancelableImpl
import dev.cancelable.internal.Mdc
import dev.cancelable.internal.OperationThreadElement
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.currentCoroutineContext
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

/**
 * Runs blocking [block] on another thread ([context], `Dispatchers.IO` by default) as part of the
 * running operation, and interrupts that thread when the operation is canceled: the reference
 * library's `run_in_thread`. On that thread `Cancelable.current()` returns the operation and the
 * slf4j MDC holds `cancelable.operationId` and `cancelable.operationName`; both are restored when
 * the block ends. The block's value is returned and its exceptions propagate; an interrupt caused by
 * the cancel ends in the operation's typed [CancelationException].
 *
 * ```kotlin
 * Cancelable.withTimeout(5.seconds).run {
 *     val rows = runInterruptible { jdbcQuery() }     // interrupted after 5 s
 *     rows.size
 * }
 * ```
 *
 * Built on kotlinx's `runInterruptible`; thread-safe, as many concurrent calls as wanted.
 */
public suspend fun <T> OperationScope.runInterruptible(
    context: CoroutineContext = Dispatchers.IO,
    block: () -> T,
): T = operation.runInterruptible(context, block)

/**
 * [OperationScope.runInterruptible] for this operation from any coroutine: inside its `run` the
 * block just runs on [context]; while it runs elsewhere, the call is canceled with it; if it has not
 * started, it is run around the call (as [withCancelable] does).
 *
 * @throws IllegalStateException if this operation has already ended.
 */
public suspend fun <T> Cancelable.runInterruptible(
    context: CoroutineContext = Dispatchers.IO,
    block: () -> T,
): T {
    if (currentCoroutineContext()[Cancelable] === this) return interruptible(this, context, block)
    return withCancelable(this) { interruptible(it, context, block) }
}

private suspend fun <T> interruptible(operation: Cancelable, context: CoroutineContext, block: () -> T): T {
    operation.checkCancelation()
    val element = if (operation is CancelableImpl) OperationThreadElement(operation, mdc = Mdc.enabled) else EmptyCoroutineContext
    return kotlinx.coroutines.runInterruptible(context + element, block)
}

@file:JvmName("Operations")
@file:JvmMultifileClass

package dev.cancelable

import dev.cancelable.internal.Mdc
import kotlinx.coroutines.Dispatchers
import kotlin.coroutines.CoroutineContext

/**
 * Runs blocking [block] on another thread ([context], `Dispatchers.IO` by default) as part of the
 * running operation, and interrupts that thread when the operation is canceled: the reference
 * library's `run_in_thread`, and kotlinx's `runInterruptible` with the operation carried along. On
 * that thread `Cancelable.current()` returns the operation and the slf4j MDC holds
 * `cancelable.operationId` and `cancelable.operationName`; both are restored when the block ends. The
 * block's value is returned and its exceptions propagate; an interrupt caused by the cancel ends in
 * the operation's typed [OperationCanceledException].
 *
 * ```kotlin
 * Cancelable(timeout = 5.seconds).run {
 *     val rows = interruptible { jdbcQuery() }     // interrupted after 5 s
 *     rows.size
 * }
 * ```
 *
 * Thread-safe: as many concurrent calls as wanted.
 */
public suspend fun <T> OperationScope.interruptible(
    context: CoroutineContext = Dispatchers.IO,
    block: () -> T,
): T {
    val op = operation as CancelableImpl
    op.throwIfCanceled()
    return kotlinx.coroutines.runInterruptible(context + OperationThreadElement(op, mdc = Mdc.enabled), block)
}

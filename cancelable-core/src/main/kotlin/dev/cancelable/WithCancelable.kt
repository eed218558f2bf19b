@file:JvmName("Operations")
@file:JvmMultifileClass

package dev.cancelable

import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.job
import kotlinx.coroutines.withContext

/**
 * Runs [block] inside [operation], so several functions can share one operation and one budget (a
 * timeout counts once for all of them):
 * - already inside [operation] (it is the current one): [block] just runs;
 * - [operation] not started yet: it is run around [block];
 * - [operation] running elsewhere: [block] runs with it as the current operation and is canceled
 *   when it is.
 *
 * ```kotlin
 * val shared = Cancelable(name = "request", timeout = 10.seconds)
 * shared.run { loadUser(); loadOrders() }   // each does withCancelable(shared) { ... }
 * ```
 *
 * @throws IllegalStateException if [operation] has already ended.
 */
public suspend fun <T> withCancelable(operation: Cancelable, block: suspend (Cancelable) -> T): T {
    if (currentCoroutineContext()[Cancelable] === operation) return block(operation)
    return when {
        operation.status == OperationStatus.PENDING -> operation.run { block(operation) }
        operation.status.isTerminal -> throw IllegalStateException("operation '${operation.name}' (${operation.id}) has already ended")
        else -> withContext(operation) {
            val job = coroutineContext.job
            val link = operation.onCancelRequested { job.cancel(it) }
            try {
                block(operation)
            } finally {
                link.dispose()
            }
        }
    }
}

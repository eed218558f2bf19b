@file:JvmName("Operations")
@file:JvmMultifileClass

package dev.cancelable

import kotlinx.coroutines.currentCoroutineContext

/**
 * The operation the calling code runs in: the innermost [Cancelable.run] in the coroutine context, or
 * else the one running on this thread through [Cancelable.callBlocking]; null outside any operation.
 *
 * ```kotlin
 * suspend fun step(i: Int) {
 *     currentOperation()?.reportProgress("step $i")
 * }
 * ```
 */
public suspend fun currentOperation(): Cancelable? =
    currentCoroutineContext()[Cancelable] ?: CurrentOperationThreadLocal.get()

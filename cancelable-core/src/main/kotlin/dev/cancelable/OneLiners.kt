package dev.cancelable

import dev.cancelable.internal.requirePositive
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.job
import kotlinx.coroutines.withContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * Runs [block] as a new operation in one call: the reference library's `@cancelable` decorator.
 * Every argument is optional; those given become sources (a [timeout], a [token], a [condition]
 * polled every [checkInterval]). The block receives its operation; its value is returned and its
 * exceptions pass through unchanged.
 *
 * ```kotlin
 * val page = cancelable(timeout = 5.seconds, name = "fetch-page") { op ->
 *     op.reportProgress("downloading")
 *     client.get(url)
 * }
 * ```
 *
 * @throws CancelationException (typed) when one of the sources canceled it.
 * A zero or negative [timeout] has already expired (the block never runs); an infinite one is no
 * timeout.
 *
 * @throws IllegalArgumentException for a zero, negative or infinite [checkInterval] (checked even
 *   without a [condition]).
 */
public suspend fun <T> cancelable(
    timeout: Duration? = null,
    name: String? = null,
    token: CancelationToken? = null,
    condition: (suspend () -> Boolean)? = null,
    checkInterval: Duration = 100.milliseconds,
    operationId: String? = null,
    parent: Cancelable? = null,
    metadata: Map<String, Any?> = emptyMap(),
    registry: OperationRegistry? = OperationRegistry.global,
    block: suspend (Cancelable) -> T,
): T {
    requirePositive(checkInterval, "checkInterval")
    val sources = listOfNotNull(
        timeout?.takeUnless { it == Duration.INFINITE }?.let(::TimeoutSource),
        token?.let(::TokenSource),
        condition?.let { ConditionSource(it, checkInterval) },
    )
    val op = Cancelable(name ?: "cancelable", operationId, parent, metadata, registry)
    sources.forEach { op.addSource(it) }
    return op.run { block(operation) }
}

/**
 * Runs [block] inside [operation], so several functions can share one operation and one budget (a
 * timeout counts once for all of them):
 * - already inside [operation] (it is the current one): [block] just runs;
 * - [operation] not started yet: it is run around [block];
 * - [operation] running elsewhere: [block] runs with it as the current operation and is canceled
 *   when it is.
 *
 * ```kotlin
 * val shared = Cancelable.withTimeout(10.seconds, name = "request")
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
            val link = operation.invokeOnCancelRequest { job.cancel(it) }
            try {
                block(operation)
            } finally {
                link.dispose()
            }
        }
    }
}

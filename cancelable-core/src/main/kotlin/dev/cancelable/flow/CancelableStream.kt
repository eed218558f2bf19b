package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.CancelationToken
import dev.cancelable.internal.ItemReport
import dev.cancelable.internal.StandaloneStream
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.flow.Flow
import kotlin.time.Duration

/**
 * [flow] made cancelable on its own: each collection runs as a new operation (named [name], joining
 * [registry], a child of the operation it is collected in, if any) that a [timeout] and/or a
 * [token] cancel. Its cancelation stops the whole collection at once and the typed
 * [dev.cancelable.CancelationException] leaves `collect`; the operation's partial result (a
 * [PartialResult]) is in its snapshots and the registry's history.
 *
 * ```kotlin
 * cancelableStream(ticker, timeout = 10.seconds, reportInterval = 100,
 *     onProgress = { count, latest -> println("$count items, last $latest") })
 *     .collect { show(it) }
 * ```
 *
 * Every [reportInterval] items [onProgress] receives the count and the latest item (after the
 * operation's own progress callbacks). A consumer that stops early (`take`, `first`) ends the
 * operation COMPLETED, with a partial result that is not completed. The flow is cold; each
 * collection is independent. A zero or negative [timeout] has already expired (`collect` throws
 * before the first item); an infinite one is no timeout.
 *
 * @throws IllegalArgumentException if [reportInterval] or [bufferLimit] is below 1, or if
 *   [onProgress] is given without [reportInterval].
 */
public fun <T> cancelableStream(
    flow: Flow<T>,
    timeout: Duration? = null,
    token: CancelationToken? = null,
    reportInterval: Int? = null,
    onProgress: (suspend (count: Long, latest: T) -> Unit)? = null,
    bufferPartial: Boolean = false,
    bufferLimit: Int = PartialResult.DEFAULT_BUFFER_LIMIT,
    name: String? = null,
    operationId: String? = null,
    registry: OperationRegistry? = OperationRegistry.global,
): Flow<T> {
    val interval = checkInterval(reportInterval)
    require(onProgress == null || interval > 0) { "onProgress needs a reportInterval (reportInterval is null)" }
    val limit = checkBuffer(bufferPartial, bufferLimit)
    val newOperation = {
        val op = Cancelable(name ?: "stream", operationId, registry = registry)
        if (timeout != null && timeout != Duration.INFINITE) op.addSource(TimeoutSource(timeout))
        if (token != null) op.addSource(TokenSource(token))
        op
    }
    val report: ItemReport<T>? = onProgress
    return StandaloneStream(flow, newOperation, interval, limit, report)
}

package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.CancellationToken
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.flow.Flow
import kotlin.time.Duration

/*
 * Three ways to put a Flow under an operation, one per need: through the operation the collection
 * runs in (`cancelable`), in chunks (`cancelableChunks`), or as an operation of its own per collection
 * (`asOperation`).
 */

/**
 * This flow passed through [operation] (by default the one running where the flow is collected):
 * each item is checked against the operation's cancellation (so a cancel stops the stream even
 * between suspensions), counted, kept in a bounded buffer when [bufferPartial], and every
 * [reportInterval] items the operation reports progress `"Processed N items"` with metadata `count`
 * and `latest_item`. On every exit path (normal end, exception, cancellation, a consumer that stops
 * early) the operation's `partialResult` becomes a [PartialResult] of what went through.
 *
 * ```kotlin
 * Cancelable(name = "import", timeout = 30.seconds).run {
 *     rows.cancelable(reportInterval = 1_000).collect { save(it) }
 * }
 * ```
 *
 * The returned flow is cold and keeps the collector's context. Each collection starts a new count and
 * overwrites `partialResult`. Thread-safety: as any flow, one collection per coroutine.
 *
 * @param reportInterval report progress every this many items; null for no reports.
 * @param bufferPartial keep the last [bufferLimit] items for the partial result.
 * @throws IllegalArgumentException if [reportInterval] or [bufferLimit] is below 1.
 * @throws IllegalStateException from `collect`, without an [operation], when collected outside any.
 */
public fun <T> Flow<T>.cancelable(
    operation: Cancelable? = null,
    reportInterval: Int? = null,
    bufferPartial: Boolean = true,
    bufferLimit: Int = 1000,
): Flow<T> = StreamFlow(this, operation, checkInterval(reportInterval), checkBuffer(bufferPartial, bufferLimit), null)

/**
 * This flow in lists of [size] items (the last one may be shorter; an empty flow gives none), passed
 * through [operation] as [cancelable] does. After each chunk is handed on the operation reports
 * `"Processed chunk of N items"`, and `"Processed final chunk of N items"` for a last, shorter chunk.
 * The partial result counts items, not chunks. Each chunk is a new list.
 *
 * ```kotlin
 * op.run { rows.cancelableChunks(500).collect { db.insertBatch(it) } }
 * ```
 *
 * @throws IllegalArgumentException if [size] or [bufferLimit] is below 1.
 */
public fun <T> Flow<T>.cancelableChunks(
    size: Int,
    operation: Cancelable? = null,
    bufferPartial: Boolean = true,
    bufferLimit: Int = 1000,
): Flow<List<T>> {
    require(size >= 1) { "size must be at least 1, was $size" }
    return ChunkedFlow(this, operation, size, checkBuffer(bufferPartial, bufferLimit))
}

/**
 * This flow, each collection of it running as a new operation (named [name], joining [registry], a
 * child of the operation it is collected in, if any) that a [timeout] and/or a [token] cancel. The
 * cancel stops the whole collection at once and the typed
 * [dev.cancelable.OperationCanceledException] leaves `collect`; the operation's partial result (a
 * [PartialResult]) is in its snapshots.
 *
 * ```kotlin
 * ticker.asOperation(timeout = 10.seconds, reportInterval = 100,
 *     onProgress = { count, latest -> println("$count items, last $latest") })
 *     .collect { show(it) }
 * ```
 *
 * Every [reportInterval] items [onProgress] receives the count and the latest item (after the
 * operation's own progress callbacks). A consumer that stops early (`take`, `first`) ends the
 * operation COMPLETED, with a partial result that is not completed. A zero or negative [timeout] has
 * already expired (`collect` throws before the first item); an infinite one is none. The flow is
 * cold; each collection is independent.
 *
 * @throws IllegalArgumentException if [reportInterval] or [bufferLimit] is below 1, or if
 *   [onProgress] is given without [reportInterval].
 */
public fun <T> Flow<T>.asOperation(
    name: String = "stream",
    timeout: Duration? = null,
    token: CancellationToken? = null,
    reportInterval: Int? = null,
    onProgress: (suspend (count: Long, latest: T) -> Unit)? = null,
    bufferPartial: Boolean = false,
    bufferLimit: Int = 1000,
    registry: OperationRegistry? = OperationRegistry.global,
): Flow<T> {
    val interval = checkInterval(reportInterval)
    require(onProgress == null || interval > 0) { "onProgress needs a reportInterval (reportInterval is null)" }
    val limit = checkBuffer(bufferPartial, bufferLimit)
    val newOperation = { Cancelable(name = name, timeout = timeout, token = token, registry = registry) }
    return OperationPerCollection(this, newOperation, interval, limit, onProgress)
}

/** Validated report interval; 0 means no reports. */
private fun checkInterval(reportInterval: Int?): Int {
    if (reportInterval == null) return 0
    require(reportInterval >= 1) { "reportInterval must be at least 1, was $reportInterval" }
    return reportInterval
}

/** Validated buffer bound; 0 means no buffering. */
private fun checkBuffer(bufferPartial: Boolean, bufferLimit: Int): Int {
    require(bufferLimit >= 1) { "bufferLimit must be at least 1, was $bufferLimit" }
    return if (bufferPartial) bufferLimit else 0
}

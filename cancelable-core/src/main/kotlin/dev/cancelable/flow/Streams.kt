package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.OperationScope
import dev.cancelable.internal.ChunkedFlow
import dev.cancelable.internal.StreamFlow
import kotlinx.coroutines.flow.Flow

/**
 * Passes [flow] through this operation: each item is checked against the operation's cancelation
 * (so a cancel stops the stream even between suspensions), counted, kept in a bounded buffer when
 * [bufferPartial], and every [reportInterval] items the operation reports progress
 * `"Processed N items"` with metadata `count` and `latest_item`. On every exit path (normal end,
 * exception, cancelation, a consumer that stops early) the operation's `partialResult` becomes a
 * [PartialResult] of what went through.
 *
 * ```kotlin
 * Cancelable.withTimeout(30.seconds, name = "import").run {
 *     stream(rows, reportInterval = 1_000).collect { save(it) }
 * }
 * ```
 *
 * The returned flow is cold and keeps the collector's context; collect it inside the operation's
 * `run` (its cancel then also cancels the coroutine) or anywhere else (the per-item check still
 * stops it). Each collection starts a new count and overwrites `partialResult`. Thread-safety: as
 * any flow, one collection per coroutine.
 *
 * @param reportInterval report progress every this many items; null for no reports.
 * @param bufferPartial keep the last [bufferLimit] items for the partial result.
 * @param bufferLimit how many items the buffer keeps (default 1,000).
 * @throws IllegalArgumentException if [reportInterval] or [bufferLimit] is below 1.
 */
public fun <T> Cancelable.stream(
    flow: Flow<T>,
    reportInterval: Int? = null,
    bufferPartial: Boolean = true,
    bufferLimit: Int = PartialResult.DEFAULT_BUFFER_LIMIT,
): Flow<T> = flow.cancelable(this, reportInterval, bufferPartial, bufferLimit)

/** [Cancelable.stream] on the running operation, for use inside `run { }`. */
public fun <T> OperationScope.stream(
    flow: Flow<T>,
    reportInterval: Int? = null,
    bufferPartial: Boolean = true,
    bufferLimit: Int = PartialResult.DEFAULT_BUFFER_LIMIT,
): Flow<T> = operation.stream(flow, reportInterval, bufferPartial, bufferLimit)

/**
 * This flow passed through [operation] as [Cancelable.stream] does; with no [operation], through
 * the one running where the flow is collected (collecting it outside any operation then throws
 * [IllegalStateException]).
 *
 * ```kotlin
 * op.run { sensor.readings().cancelable(reportInterval = 100).collect { record(it) } }
 * ```
 *
 * @throws IllegalArgumentException if [reportInterval] or [bufferLimit] is below 1.
 */
public fun <T> Flow<T>.cancelable(
    operation: Cancelable? = null,
    reportInterval: Int? = null,
    bufferPartial: Boolean = true,
    bufferLimit: Int = PartialResult.DEFAULT_BUFFER_LIMIT,
): Flow<T> = StreamFlow(this, operation, checkInterval(reportInterval), checkBuffer(bufferPartial, bufferLimit), null)

/**
 * [flow] in lists of [chunkSize] items (the last one may be shorter; an empty flow gives none),
 * passed through this operation as [Cancelable.stream] does. After each chunk is handed on the
 * operation reports `"Processed chunk of N items"`, and `"Processed final chunk of N items"` for a
 * last, shorter chunk. The partial result counts items, not chunks. Each chunk is a new list.
 *
 * ```kotlin
 * op.run { streamChunked(rows, chunkSize = 500).collect { db.insertBatch(it) } }
 * ```
 *
 * @throws IllegalArgumentException if [chunkSize] or [bufferLimit] is below 1.
 */
public fun <T> Cancelable.streamChunked(
    flow: Flow<T>,
    chunkSize: Int,
    bufferPartial: Boolean = true,
    bufferLimit: Int = PartialResult.DEFAULT_BUFFER_LIMIT,
): Flow<List<T>> {
    require(chunkSize >= 1) { "chunkSize must be at least 1, was $chunkSize" }
    return ChunkedFlow(flow, this, chunkSize, checkBuffer(bufferPartial, bufferLimit))
}

/** [Cancelable.streamChunked] on the running operation, for use inside `run { }`. */
public fun <T> OperationScope.streamChunked(
    flow: Flow<T>,
    chunkSize: Int,
    bufferPartial: Boolean = true,
    bufferLimit: Int = PartialResult.DEFAULT_BUFFER_LIMIT,
): Flow<List<T>> = operation.streamChunked(flow, chunkSize, bufferPartial, bufferLimit)

/** Validated report interval; 0 means no reports. */
internal fun checkInterval(reportInterval: Int?): Int {
    if (reportInterval == null) return 0
    require(reportInterval >= 1) { "reportInterval must be at least 1, was $reportInterval" }
    return reportInterval
}

/** Validated buffer bound; 0 means no buffering. */
internal fun checkBuffer(bufferPartial: Boolean, bufferLimit: Int): Int {
    require(bufferLimit >= 1) { "bufferLimit must be at least 1, was $bufferLimit" }
    return if (bufferPartial) bufferLimit else 0
}

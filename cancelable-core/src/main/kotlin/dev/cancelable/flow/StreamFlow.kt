package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.currentOperation
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector

/** Reports a stream's progress: the count so far and the latest item. */
internal typealias ItemReport<T> = suspend (count: Long, latest: T) -> Unit

/**
 * The flow behind `cancelable`: passes items through in the collecting coroutine (so it keeps
 * the flow's context, like kotlinx's own intermediate operators), and on every exit path stores a
 * [PartialResult] in the operation.
 *
 * Per item it does only what the budget allows: the operation's cheap cancellation check (volatile
 * reads), a count, an optional store into a ring buffer, and a report countdown (no division). The
 * collector's `emit` makes only tail calls except on report items, so it needs no state machine.
 *
 * [operation] null means the operation running where the flow is collected.
 */
internal class StreamFlow<T>(
    private val upstream: Flow<T>,
    private val operation: Cancelable?,
    private val reportInterval: Int,
    private val bufferLimit: Int,
    private val onReport: ItemReport<T>?,
) : Flow<T> {

    override suspend fun collect(collector: FlowCollector<T>) {
        val op = operation ?: requireCurrent()
        val state = StreamCollector(collector, op, reportInterval, bufferLimit, onReport)
        var completed = false
        try {
            upstream.collect(state)
            completed = true
        } finally {
            op.partialResult = state.result(completed)
        }
    }
}

private class StreamCollector<T>(
    private val downstream: FlowCollector<T>,
    private val operation: Cancelable,
    private val reportInterval: Int,
    bufferLimit: Int,
    private val onReport: ItemReport<T>?,
) : FlowCollector<T> {
    private var count = 0L
    private var untilReport = reportInterval
    private val ring: Ring<T>? = if (bufferLimit > 0) Ring(bufferLimit) else null

    override suspend fun emit(value: T) {
        operation.throwIfCanceled()
        count++
        ring?.add(value)
        if (reportInterval != 0 && --untilReport == 0) {
            untilReport = reportInterval
            return emitAndReport(value)
        }
        return downstream.emit(value)
    }

    private suspend fun emitAndReport(value: T) {
        val n = count
        downstream.emit(value)
        operation.reportProgress("Processed $n items", mapOf("count" to n, "latest_item" to value))
        onReport?.invoke(n, value)
    }

    fun result(completed: Boolean): PartialResult<T> = PartialResult(count, ring?.toList(), completed, ownsBuffer = true)
}

/**
 * The last [limit] items, oldest first, in an array used as a ring once full. Grows by doubling up
 * to [limit], so a short stream does not allocate the whole bound. Not thread-safe: one collector.
 */
internal class Ring<T>(private val limit: Int) {
    private var items = arrayOfNulls<Any?>(minOf(limit, 16))
    private var size = 0
    private var next = 0
    private var full = false

    fun add(value: T) {
        if (full) {
            items[next] = value
            if (++next == limit) next = 0
            return
        }
        if (size == items.size) items = items.copyOf(minOf(limit, size * 2))
        items[size++] = value
        if (size == limit) full = true
    }

    @Suppress("UNCHECKED_CAST")
    fun toList(): List<T> {
        val out = ArrayList<T>(size)
        if (full) {
            for (i in next until limit) out.add(items[i] as T)
            for (i in 0 until next) out.add(items[i] as T)
        } else {
            for (i in 0 until size) out.add(items[i] as T)
        }
        return out
    }
}

/** The operation running where a flow without an explicit one is collected. */
internal suspend fun requireCurrent(): Cancelable = currentOperation()
    ?: throw IllegalStateException("a cancelable flow without an explicit operation must be collected inside one")

package dev.cancelable

import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.DisposableHandle
import java.time.Instant
import kotlin.time.Duration

/** The source list of an operation: the earliest deadline wins, each token and linked operation once. */
internal object SourceList {
    val NONE: Array<CancellationSource> = emptyArray()

    /** The last one-element list [of] made: an operation built from a template reuses the same source. */
    @Volatile
    private var lastSingle: Array<CancellationSource>? = null

    /** The last one-element timeout list [timeoutAlone] made; see there. */
    @Volatile
    private var lastTimeout: Array<CancellationSource>? = null

    /**
     * The list holding just a timeout of [timeout], shared with the operations made just before with the
     * same timeout: a timeout source keeps no per-operation state, and a program arms the same few
     * timeouts over and over.
     */
    fun timeoutAlone(timeout: Duration): Array<CancellationSource> {
        val cached = lastTimeout
        if (cached != null && (cached[0] as TimeoutSource).timeout == timeout) return cached
        return arrayOf<CancellationSource>(TimeoutSource(timeout)).also { lastTimeout = it }
    }

    /** The list of [sources]; never modified afterwards, so operations may share it. */
    fun of(sources: List<CancellationSource>): Array<CancellationSource> {
        if (sources.isEmpty()) return NONE
        if (sources.size == 1) {
            val only = sources[0]
            val cached = lastSingle
            if (cached != null && cached[0] === only) return cached
            return arrayOf(only).also { lastSingle = it }
        }
        var result = NONE
        for (source in sources) result = plus(result, source)
        return result
    }

    fun plus(existing: Array<CancellationSource>, source: CancellationSource): Array<CancellationSource> {
        if (existing.any { it === source || same(it, source) }) return existing
        if (source is TimeoutSource) {
            val index = existing.indexOfFirst { it is TimeoutSource }
            if (index >= 0) {
                if ((existing[index] as TimeoutSource).timeout <= source.timeout) return existing
                return existing.copyOf().also { it[index] = source }
            }
        }
        return existing + source
    }

    private fun same(a: CancellationSource, b: CancellationSource): Boolean = when {
        a is TokenSource && b is TokenSource -> a.token === b.token
        a is LinkedOperationSource && b is LinkedOperationSource -> a.operation === b.operation
        else -> false
    }
}

/**
 * Cancels the operation it is attached to when [operation] is canceled directly, with the same reason
 * and message: how a combined operation follows a `cancel()` of the operations it was made from.
 */
internal class LinkedOperationSource(val operation: Cancelable) : CancellationSource("operation(${operation.id})") {
    override fun attach(scope: SourceScope): DisposableHandle =
        operation.onCancelRequested { fire(scope, it.reason, it.message) }

    /** The linked operation's own deadline, whenever it started. */
    override fun deadlineFrom(start: Instant): Instant? = operation.deadline
}

package dev.cancelable

import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.DisposableHandle
import java.time.Instant

/** The source list of an operation: the earliest deadline wins, each token and linked operation once. */
internal object SourceList {
    val NONE: Array<CancellationSource> = emptyArray()

    fun of(sources: List<CancellationSource>): Array<CancellationSource> {
        if (sources.isEmpty()) return NONE
        if (sources.size == 1) return arrayOf(sources[0])
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

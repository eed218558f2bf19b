package dev.cancelable.flow

import java.util.Collections

/**
 * What a stream had done when it stopped: how many items went through, the last ones (when
 * buffering), and whether the stream ran to its end. Streams store one in
 * [dev.cancelable.Cancelable.partialResult] on every exit path: normal end, an exception, a
 * cancellation (timeout, token, signal...) and a consumer that stopped early (`take(3)`, `first()`).
 *
 * ```kotlin
 * val op = Cancelable(timeout = 5.seconds)
 * runCatching { op.run { readings.cancelable().collect { store(it) } } }
 * val partial = op.partialResult as PartialResult<*>
 * println("stored ${partial.count} readings, completed=${partial.completed}")
 * ```
 *
 * The operation keeps its whole partial result; a registry's history entry for it keeps [count] and
 * [completed] but drops the [buffer] (or keeps only its last items when the registry is built with
 * `historyBufferLimit`), so finished streams do not pin their items.
 *
 * Immutable ([buffer] is an unmodifiable copy); thread-safe. Equal when all fields are.
 */
public class PartialResult<out T> internal constructor(
    /** Items the stream handed to its consumer. */
    public val count: Long,
    buffer: List<T>?,
    /** True only when the upstream flow ended normally and every item was handed on. */
    public val completed: Boolean,
    /** True when [buffer] is a fresh list no one else holds (a stream's own), so it need not be copied. */
    ownsBuffer: Boolean,
) {
    /** A result holding a copy of [buffer]. */
    public constructor(count: Long, buffer: List<T>?, completed: Boolean) : this(count, buffer, completed, ownsBuffer = false)

    /** The last items handed on, oldest first (at most the buffer limit), or null when not buffering. */
    public val buffer: List<T>? = buffer?.let { Collections.unmodifiableList(if (ownsBuffer) it else ArrayList(it)) }

    override fun equals(other: Any?): Boolean =
        other is PartialResult<*> && count == other.count && completed == other.completed && buffer == other.buffer

    override fun hashCode(): Int = (count.hashCode() * 31 + completed.hashCode()) * 31 + (buffer?.hashCode() ?: 0)

    override fun toString(): String =
        "PartialResult(count=$count, completed=$completed, buffer=${buffer?.let { "${it.size} items" } ?: "none"})"
}

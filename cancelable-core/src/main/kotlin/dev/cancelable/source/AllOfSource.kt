package dev.cancelable.source

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import kotlinx.coroutines.DisposableHandle
import java.time.Instant

/**
 * Fires only once every one of [sources] has fired, with the reason of the child that fired last and
 * the message `All N sources have fired`. Each child is disposed as soon as it has fired, the rest
 * when the operation ends. A child whose attach or dispose throws is logged and can then never fire,
 * so the composite will not fire either; it never throws itself. Thread-safe.
 *
 * @throws IllegalArgumentException if [sources] is empty.
 */
public class AllOfSource private constructor(
    /** The children, attached in this order. */
    private val sources: List<CancellationSource>,
) : CancellationSource("allOf(${requireSources(sources).joinToString()})") {

    /** Fires once every one of [sources] has. */
    public constructor(vararg sources: CancellationSource) : this(sources.toList())

    /** The last of the children's deadlines, when every child has one. */
    override fun deadlineFrom(start: Instant): Instant? {
        var last: Instant? = null
        for (source in sources) {
            val deadline = source.deadlineFrom(start) ?: return null
            if (last == null || deadline > last) last = deadline
        }
        return last
    }

    override fun attach(scope: SourceScope): DisposableHandle = Attachment(scope).also { it.start() }.handle

    /** Per-operation state: which children have fired, and their handles. */
    private inner class Attachment(private val scope: SourceScope) {
        private val lock = Any()
        private val fired = BooleanArray(sources.size)
        private val handles = arrayOfNulls<DisposableHandle>(sources.size)
        private var firedCount = 0
        private var disposed = false

        val handle = DisposableHandle {
            val toDispose = synchronized(lock) { disposed = true; handles.copyOf().also { handles.fill(null) } }
            toDispose.forEach { disposeChild(it) }
        }

        fun start() {
            sources.forEachIndexed { index, child ->
                val h = attachChild(child, object : ChildScope(scope) {
                    override fun fire(source: CancellationSource, reason: CancellationReason, message: String?) =
                        childFired(index, reason)

                    override fun fire(source: CancellationSource, cancellation: OperationCanceledException) =
                        childFired(index, cancellation.reason)
                })
                val keep = synchronized(lock) { if (fired[index] || disposed) false else { handles[index] = h; true } }
                if (!keep) disposeChild(h)
            }
        }

        private fun childFired(index: Int, reason: CancellationReason): Boolean {
            val (done, toDispose) = synchronized(lock) {
                if (fired[index] || disposed) return false
                fired[index] = true
                firedCount++
                val h = handles[index]
                handles[index] = null
                (firedCount == sources.size) to h
            }
            disposeChild(toDispose)
            if (!done) return false
            return fire(scope, reason, "All ${sources.size} sources have fired")
        }
    }
}

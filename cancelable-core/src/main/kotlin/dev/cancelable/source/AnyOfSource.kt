package dev.cancelable.source

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import kotlinx.coroutines.DisposableHandle
import java.time.Instant

/**
 * Fires as soon as any of [sources] fires, with that child's reason and message, and records which
 * child it was in [firedSource]. A child whose attach or dispose throws is logged and skipped; the
 * composite itself never throws from either. All children are disposed with the operation.
 * Thread-safe.
 *
 * @throws IllegalArgumentException if [sources] is empty.
 */
public class AnyOfSource private constructor(
    /** The children, attached in this order. */
    private val sources: List<CancellationSource>,
) : CancellationSource("anyOf(${requireSources(sources).joinToString()})") {

    /** Fires when any of [sources] does. */
    public constructor(vararg sources: CancellationSource) : this(sources.toList())

    @Volatile
    private var lastFired: CancellationSource? = null

    /** The child whose firing made this source fire most recently, or null. */
    public val firedSource: CancellationSource? get() = lastFired

    /** The earliest of the children's deadlines; read by transports on each outgoing call, so no list is built. */
    override fun deadlineFrom(start: Instant): Instant? {
        var earliest: Instant? = null
        for (source in sources) {
            val deadline = source.deadlineFrom(start) ?: continue
            if (earliest == null || deadline < earliest) earliest = deadline
        }
        return earliest
    }

    override fun attach(scope: SourceScope): DisposableHandle {
        val composite = this
        val handles = sources.map { child ->
            attachChild(child, object : ChildScope(scope) {
                override fun fire(source: CancellationSource, reason: CancellationReason, message: String?): Boolean {
                    noteFiring(child)
                    return composite.fire(scope, reason, message)
                }

                override fun fire(source: CancellationSource, cancellation: OperationCanceledException): Boolean {
                    noteFiring(child)
                    return composite.fire(scope, cancellation)
                }

                /** Before firing, so the operation's cancel hooks see it; not when another source already won. */
                private fun noteFiring(child: CancellationSource) {
                    if (!scope.operation.isCanceled) lastFired = child
                }
            })
        }
        return DisposableHandle { handles.forEach { disposeChild(it) } }
    }
}

package dev.cancelable.test

import dev.cancelable.CancellationReason
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import kotlinx.coroutines.DisposableHandle
import java.util.concurrent.CopyOnWriteArrayList

/**
 * A source that fires only when a test calls [fire]: the deterministic way to cancel an operation
 * at an exact point, with any reason.
 *
 * ```kotlin
 * val stop = ManualSource()
 * val op = Cancelable(sources = listOf(stop))
 * launch { delay(50); stop.fire(CancellationReason.SIGNAL, "test signal") }
 * shouldThrow<CanceledBySignalException> { op.run { awaitCancellation() } }
 * stop.attachedCount shouldBe 0                 // disposed with the operation
 * ```
 *
 * From Java, with the facade: `Cancelables.operation("job").source(stop).build()`, then
 * `stop.fire()` or `stop.fire(CancellationReason.SIGNAL, "test signal")`.
 *
 * [fire] reaches the operations attached at that moment; an operation that starts later is not
 * affected. Thread-safe: [fire] may be called from any thread.
 */
public class ManualSource(name: String = "manual") : CancellationSource(name) {
    private val attached = CopyOnWriteArrayList<SourceScope>()

    /** Operations this source is attached to now: zero once they have all ended. */
    public val attachedCount: Int get() = attached.size

    override fun attach(scope: SourceScope): DisposableHandle {
        attached.add(scope)
        return DisposableHandle { attached.remove(scope) }
    }

    /**
     * Fires into every operation attached now, with [reason] and [message] (null gives the default
     * message of the reason's exception). Returns how many of them this call canceled (an operation
     * already canceled by something else is not counted).
     */
    @JvmOverloads
    public fun fire(reason: CancellationReason = CancellationReason.MANUAL, message: String? = null): Int =
        attached.count { fire(it, reason, message) }
}

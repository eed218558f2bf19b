package dev.cancelable

import dev.cancelable.internal.EpochNanos
import dev.cancelable.registry.OperationSnapshot
import dev.cancelable.registry.snapshotOf
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.util.Collections

/**
 * What an operation records about itself: identity, status, timings, failure, partial result and
 * metadata, its callbacks, and the snapshots made of them. [CancelableImpl] adds how it runs and is canceled, and
 * is the only writer of these fields (a run writes each from one thread at a time). Every field is
 * volatile, so reads from any thread see the latest write.
 */
internal abstract class OperationRecord(
    final override val id: String,
    final override val name: String,
    initialMetadata: Map<String, Any?>,
    internal val clock: Clock,
) : Cancelable {

    @Volatile final override var status: OperationStatus = OperationStatus.PENDING
        protected set

    /** Start and end as nanoseconds since the epoch ([EpochNanos.NONE] until then): no `Instant` kept per run. */
    @Volatile internal var startNanos: Long = EpochNanos.NONE
        private set
    @Volatile internal var endNanos: Long = EpochNanos.NONE
        private set

    @Volatile final override var error: String? = null
        protected set
    @Volatile final override var partialResult: Any? = null
    @Volatile private var meta: Map<String, Any?> = immutableCopy(initialMetadata)
    @Volatile private var finalSnapshot: OperationSnapshot? = null

    /** Set once the terminal callbacks have run: nothing recorded changes any more. */
    @Volatile protected var released: Boolean = false

    /** Made when the first callback is added: most operations have none. */
    @Volatile internal var callbackHolder: OperationCallbacks.Holder? = null
        private set

    /** Every callback to run, a combination's carried ones first. */
    internal val callbacks: OperationCallbacks get() = callbackHolder?.all ?: OperationCallbacks.EMPTY

    internal fun writableCallbacks(): OperationCallbacks.Holder =
        callbackHolder ?: synchronized(this) { callbackHolder ?: OperationCallbacks.Holder().also { callbackHolder = it } }

    final override fun onStart(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusStart(callback) } }
    final override fun onProgress(callback: ProgressCallback): Cancelable = apply { writableCallbacks().add { it.plusProgress(callback) } }
    final override fun onCompleted(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusCompleted(callback) } }
    final override fun onCanceled(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusCanceled(callback) } }
    final override fun onFailed(callback: FailureCallback): Cancelable = apply { writableCallbacks().add { it.plusFailed(callback) } }
    final override fun onFinished(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusFinished(callback) } }

    final override val metadata: Map<String, Any?> get() = meta
    final override val startTime: Instant? get() = EpochNanos.toInstant(startNanos)
    final override val endTime: Instant? get() = EpochNanos.toInstant(endNanos)
    final override val duration: Duration?
        get() {
            val start = startNanos
            if (start == EpochNanos.NONE) return null
            val end = endNanos
            return Duration.ofNanos((if (end == EpochNanos.NONE) EpochNanos.of(clock.instant()) else end) - start)
        }

    /** Stamps the start with [clock]; [clearStart] undoes it when joining the registry failed. */
    protected fun stampStart() {
        startNanos = EpochNanos.of(clock.instant())
    }

    protected fun clearStart() {
        startNanos = EpochNanos.NONE
    }

    /** Stamps the end with [clock]; written before the final status, which readers read first. */
    protected fun stampEnd() {
        endNanos = EpochNanos.of(clock.instant())
    }

    final override fun putMetadata(key: String, value: Any?): Cancelable {
        synchronized(this) { meta = immutableCopy(LinkedHashMap(meta).apply { put(key, value) }) }
        return this
    }

    /**
     * Live: a fresh copy each time. Released: one copy, made when first asked for and kept, as nothing
     * changes any more; an operation no one asks about never makes one.
     */
    final override fun snapshot(): OperationSnapshot {
        finalSnapshot?.let { return it }
        val status = status
        val start = startNanos
        val end = endNanos
        val running = if (start != EpochNanos.NONE && end == EpochNanos.NONE) EpochNanos.of(clock.instant()) - start else 0L
        val snapshot = snapshotOf(this, status, start, end, running)
        if (released) finalSnapshot = snapshot
        return snapshot
    }

    final override fun toString(): String = "Cancelable(name='$name', id=$id, status=$status)"

    private companion object {
        fun immutableCopy(map: Map<String, Any?>): Map<String, Any?> =
            if (map.isEmpty()) emptyMap() else Collections.unmodifiableMap(LinkedHashMap(map))
    }
}

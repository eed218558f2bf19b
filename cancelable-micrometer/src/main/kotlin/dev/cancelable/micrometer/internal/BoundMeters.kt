package dev.cancelable.micrometer.internal

import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.micrometer.OperationMetrics
import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.Meter
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tags
import io.micrometer.core.instrument.Timer
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicReferenceArray

/**
 * The meters one binder registered in one [MeterRegistry], per tag value of the operation name. Meters
 * are registered on first use and remembered, so recording is a map read and an array read; [close]
 * removes every one of them, after which nothing is registered any more. Thread-safe: registering and
 * closing take this object's lock, recording takes none.
 */
internal class BoundMeters(val registry: MeterRegistry, private val commonTags: Tags) {
    private val byName = ConcurrentHashMap<NameState, NameMeters>()
    private val registered = ArrayList<Meter>()
    private var closed = false

    /** The meters of [state] here, registering its gauge and progress counter the first time. */
    fun of(state: NameState): NameMeters? = byName[state] ?: synchronized(this) {
        if (closed) return null
        byName.getOrPut(state) {
            val tags = commonTags.and(OperationMetrics.TAG_OPERATION, state.tag)
            val live = state.live
            keep(
                Gauge.builder(OperationMetrics.ACTIVE, live) { it.get().toDouble() }
                    .description("Operations running now").tags(tags).strongReference(true).register(registry),
            )
            val progress = keep(
                Counter.builder(OperationMetrics.PROGRESS)
                    .description("Progress reports of operations").tags(tags).register(registry),
            )
            NameMeters(this, tags, progress)
        }
    }

    /** Registers a meter through [register] unless closed, remembering it for [close]. */
    fun <M : Meter> register(register: (MeterRegistry) -> M): M? = synchronized(this) {
        if (closed) null else keep(register(registry))
    }

    private fun <M : Meter> keep(meter: M): M {
        registered.add(meter)
        return meter
    }

    /** Removes every meter registered here; later calls register nothing. */
    fun close() {
        val meters = synchronized(this) {
            closed = true
            byName.clear()
            registered.toList().also { registered.clear() }
        }
        meters.forEach { registry.remove(it) }
    }
}

/** The meters of one operation-name tag value in one registry. Thread-safe. */
internal class NameMeters(private val owner: BoundMeters, private val tags: Tags, val progress: Counter) {
    private val timers = AtomicReferenceArray<Timer>(STATUSES.size * (REASONS.size + 1))
    private val cancels = AtomicReferenceArray<Counter>(REASONS.size)

    /** Records one finished operation: its duration under its status and reason, and its cancel. */
    fun finished(status: OperationStatus, reason: CancellationReason?, duration: Duration) {
        timer(status, reason)?.record(duration)
        if (status == OperationStatus.CANCELED && reason != null) cancels(reason)?.increment()
    }

    private fun timer(status: OperationStatus, reason: CancellationReason?): Timer? {
        val index = status.ordinal * (REASONS.size + 1) + (reason?.ordinal?.plus(1) ?: 0)
        timers.get(index)?.let { return it }
        val timer = owner.register { registry ->
            Timer.builder(OperationMetrics.DURATION).description("Durations of finished operations by outcome")
                .tags(tags).tag(OperationMetrics.TAG_STATUS, status.toString())
                .tag(OperationMetrics.TAG_REASON, reason?.toString() ?: OperationMetrics.NONE)
                .register(registry)
        } ?: return null
        timers.set(index, timer)
        return timer
    }

    private fun cancels(reason: CancellationReason): Counter? {
        cancels.get(reason.ordinal)?.let { return it }
        val counter = owner.register { registry ->
            Counter.builder(OperationMetrics.CANCELS).description("Operations that ended canceled, by reason")
                .tags(tags).tag(OperationMetrics.TAG_REASON, reason.toString()).register(registry)
        } ?: return null
        cancels.set(reason.ordinal, counter)
        return counter
    }

    private companion object {
        val STATUSES = OperationStatus.entries
        val REASONS = CancellationReason.entries
    }
}

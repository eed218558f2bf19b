package dev.cancelable.micrometer

import dev.cancelable.OperationContext
import dev.cancelable.ProgressReport
import dev.cancelable.micrometer.internal.BoundMeters
import dev.cancelable.micrometer.internal.NameGuard
import dev.cancelable.micrometer.internal.NameState
import dev.cancelable.registry.OperationListener
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tag
import io.micrometer.core.instrument.Tags
import io.micrometer.core.instrument.binder.MeterBinder
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.function.Function

/**
 * Publishes the operations of an [OperationRegistry] to Micrometer, per operation name:
 *
 * | meter | type | tags |
 * | --- | --- | --- |
 * | [DURATION] `cancelable.operations` | timer of finished operations | `operation`, `status`, `reason` |
 * | [CANCELS] `cancelable.operations.canceled` | counter of operations that ended canceled | `operation`, `reason` |
 * | [ACTIVE] `cancelable.operations.active` | gauge of operations running now | `operation` |
 * | [PROGRESS] `cancelable.operations.progress` | counter of progress reports | `operation` |
 *
 * `status` is the final status (`completed`, `canceled`, `failed`), `reason` the recorded
 * cancellation reason (`timeout`, `manual`, `signal`, `condition`, `parent`) or [NONE]; a completed
 * operation that caught its cancellation keeps its reason. Meters are registered when first needed.
 *
 * The `operation` tag is guarded against unbounded cardinality: names go through the
 * [Builder.nameNormalizer] and the [Builder.allowNames] list when set, and the first [Builder.maxNames]
 * distinct values (default [DEFAULT_MAX_NAMES]) are kept; every later one is counted under [OTHER].
 *
 * ```kotlin
 * val metrics = OperationMetrics.builder().registry(operations).maxNames(50).build()
 * metrics.bindTo(prometheusRegistry)          // or Metrics.globalRegistry
 * ...
 * metrics.close()                             // removes its meters and its registry listener
 * ```
 *
 * The binder listens to the operation registry from its first [bindTo] on: operations that were
 * already running are timed when they finish but not counted as live. It may be bound to several
 * meter registries; each gets the same meters. [close] (or [unbind]) removes every meter it
 * registered and its listener; it cannot be bound again afterwards.
 *
 * Thread-safe: operations may start and finish on any thread while it is bound and unbound.
 */
public class OperationMetrics private constructor(
    private val operations: OperationRegistry,
    private val guard: NameGuard,
    private val commonTags: Tags,
) : MeterBinder, AutoCloseable {

    private val bound = CopyOnWriteArrayList<BoundMeters>()
    /** The tag value of every operation seen starting and still running, by id. */
    private val live = ConcurrentHashMap<String, NameState>()
    private var listener: AutoCloseable? = null
    @Volatile
    private var closed = false

    init {
        guard.onAdmitted = { state -> for (meters in bound) meters.of(state) }
    }

    /**
     * Registers this binder's meters in [registry] and starts listening to the operation registry if it
     * was not yet. Binding the same meter registry twice does nothing.
     *
     * @throws IllegalStateException if this binder was closed.
     */
    override fun bindTo(registry: MeterRegistry) {
        synchronized(this) {
            check(!closed) { "this OperationMetrics was closed" }
            if (bound.any { it.registry === registry }) return
            val meters = BoundMeters(registry, commonTags)
            bound.add(meters)
            guard.states().forEach { meters.of(it) }
            if (listener == null) listener = operations.addListener(Listener())
        }
    }

    /** Same as [close]. */
    public fun unbind(): Unit = close()

    /** Removes every meter this binder registered, from every meter registry, and its registry listener. Idempotent. */
    override fun close() {
        val meters = synchronized(this) {
            if (closed) return
            closed = true
            listener?.close()
            listener = null
            bound.toList().also { bound.clear() }
        }
        meters.forEach { it.close() }
        live.clear()
    }

    /** How many distinct operation names have their own tag value so far (not counting [OTHER]). */
    public val nameCount: Int get() = guard.size

    override fun toString(): String = "OperationMetrics(names=${guard.size}, live=${live.size}, bound=${bound.size})"

    private inner class Listener : OperationListener {
        override fun onStarted(operation: OperationContext) {
            val state = guard.stateFor(operation.name)
            if (live.putIfAbsent(operation.id, state) == null) state.live.incrementAndGet()
        }

        override fun onProgress(report: ProgressReport) {
            val reporter = report.operation
            val state = live[reporter.id] ?: guard.stateFor(reporter.name)
            for (meters in bound) meters.of(state)?.progress?.increment()
        }

        override fun onFinished(snapshot: OperationSnapshot) {
            val state = live.remove(snapshot.id)?.also { it.live.decrementAndGet() } ?: guard.stateFor(snapshot.name)
            val duration = snapshot.duration ?: Duration.ZERO
            for (meters in bound) meters.of(state)?.finished(snapshot.status, snapshot.cancelReason, duration)
        }
    }

    /**
     * Configures an [OperationMetrics]. Not thread-safe: configure on one thread, then [build]; each
     * build makes a new binder with the settings of that moment.
     */
    public class Builder internal constructor() {
        private var registry: OperationRegistry = OperationRegistry.global
        private var normalizer: Function<String, String?>? = null
        private var allowed: Set<String>? = null
        private var maxNames: Int = DEFAULT_MAX_NAMES
        private var tags: Tags = Tags.empty()

        /** The operation registry to publish (default [OperationRegistry.global]). */
        public fun registry(registry: OperationRegistry): Builder = apply { this.registry = registry }

        /**
         * Maps each operation name to the tag value it is counted under, e.g. `user_123_export` to
         * `user_*_export`. It runs on the operation's thread for every event, so it must be fast; one
         * that throws or returns null or a blank value counts the operation under [OTHER].
         */
        public fun nameNormalizer(normalizer: Function<String, String?>): Builder = apply { this.normalizer = normalizer }

        /**
         * Only these (normalised) names get their own tag value; every other one is counted under [OTHER].
         *
         * @throws IllegalArgumentException if [names] is empty or holds a blank name.
         */
        public fun allowNames(names: Collection<String>): Builder = apply {
            require(names.isNotEmpty()) { "names must not be empty" }
            require(names.none { it.isBlank() }) { "names must not hold a blank name" }
            allowed = names.toHashSet()
        }

        /**
         * At most this many distinct names get their own tag value, first come first served; later ones
         * are counted under [OTHER] (default [DEFAULT_MAX_NAMES]).
         *
         * @throws IllegalArgumentException if [max] is below 1.
         */
        public fun maxNames(max: Int): Builder = apply {
            require(max >= 1) { "max must be at least 1, was $max" }
            maxNames = max
        }

        /** Tags added to every meter, e.g. the application's name. */
        public fun tags(tags: Iterable<Tag>): Builder = apply { this.tags = this.tags.and(tags) }

        /** One tag added to every meter. */
        public fun tag(key: String, value: String): Builder = apply { tags = tags.and(key, value) }

        /** A new, unbound binder. */
        public fun build(): OperationMetrics = OperationMetrics(registry, NameGuard(normalizer, allowed, maxNames), tags)
    }

    public companion object {
        /** Timer of finished operations, tagged `operation`, `status` and `reason`. */
        public const val DURATION: String = "cancelable.operations"

        /** Counter of operations that ended canceled, tagged `operation` and `reason`. */
        public const val CANCELS: String = "cancelable.operations.canceled"

        /** Gauge of operations running now, tagged `operation`. */
        public const val ACTIVE: String = "cancelable.operations.active"

        /** Counter of progress reports, tagged `operation` (the reporting operation's name). */
        public const val PROGRESS: String = "cancelable.operations.progress"

        /** Tag of the (guarded) operation name. */
        public const val TAG_OPERATION: String = "operation"

        /** Tag of the final status. */
        public const val TAG_STATUS: String = "status"

        /** Tag of the cancellation reason. */
        public const val TAG_REASON: String = "reason"

        /** The `reason` of an operation no cancel was requested of. */
        public const val NONE: String = "none"

        /** The `operation` tag value of every name beyond the cardinality guard. */
        public const val OTHER: String = "other"

        /** How many distinct names get their own tag value unless told otherwise. */
        public const val DEFAULT_MAX_NAMES: Int = 100

        /** A builder with the defaults: the global operation registry, no normaliser or allow-list, [DEFAULT_MAX_NAMES]. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

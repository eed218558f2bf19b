package dev.cancelable.registry

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.ProgressReport
import dev.cancelable.flow.PartialResult
import dev.cancelable.internal.logger
import dev.cancelable.internal.rethrowIfFatal
import java.time.Clock
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Tracks live operations and keeps a bounded history of finished ones.
 *
 * Every operation joins [global] while it runs unless it names another registry or opts out with
 * `registry = null`; tests and multi-tenant code create private instances. Live operations are found
 * by id ([get]) and listed as immutable [OperationSnapshot]s ([list]); a finished operation leaves
 * the live set on every exit path and its final snapshot enters [history], a ring of [historyLimit]
 * entries in which the oldest falls out.
 *
 * ```kotlin
 * registry.list(OperationFilter(namePattern = "user_123_*")).forEach { println("${it.name}: ${it.status}") }
 * registry.cancelAll(OperationFilter(namePattern = "user_123_*"), message = "user logged out")
 * ```
 *
 * Metrics, tracing, logging backends and dashboards follow every operation through an
 * [OperationListener] ([addListener]).
 *
 * All methods are thread-safe, non-suspending and never block on operations; callable from Java.
 * Each operation's entry changes atomically (a finished operation enters history before it leaves
 * the live set, so a reader may see it in both for an instant, never in neither); listings and
 * counts of the whole registry are weakly consistent, like `ConcurrentHashMap`'s views: taken while
 * operations start and finish, they may mix moments.
 *
 * A history entry never pins a stream's payload unless asked to: when an operation's partial result
 * is a [PartialResult] with a buffer, its entry (and what listeners receive) keeps the count and
 * completion but only the last [historyBufferLimit] buffered items, none by default. The operation
 * object itself keeps its whole [Cancelable.partialResult]. History thus holds at most
 * `historyLimit x historyBufferLimit` stream items (1,000 x 0 = none for [global]). A partial result
 * of any other type is kept as it is.
 *
 * @param historyLimit how many finished snapshots to keep (default 1,000); zero keeps none.
 * @param clock the clock for operation timestamps and for ages; replace it in tests.
 * @param historyBufferLimit how many of the last buffered stream items each history entry keeps
 *   (default 0: none, only the count and completion).
 * @throws IllegalArgumentException if [historyLimit] or [historyBufferLimit] is negative.
 */
public class OperationRegistry(
    historyLimit: Int = 1000,
    /** The clock operations in this registry stamp their times with, and ages are measured by. */
    internal val clock: Clock = Clock.systemUTC(),
    historyBufferLimit: Int = 0,
) {
    /** How many finished snapshots [history] keeps. */
    internal val historyLimit: Int = historyLimit.also {
        require(it >= 0) { "historyLimit must not be negative, was $it" }
    }

    /** How many of the last buffered items of a stream's [PartialResult] each history entry keeps. */
    internal val historyBufferLimit: Int = historyBufferLimit.also {
        require(it >= 0) { "historyBufferLimit must not be negative, was $it" }
    }

    private val active = ConcurrentHashMap<String, Cancelable>()
    private val listeners = CopyOnWriteArrayList<OperationListener>()
    private val history = HistoryRing(historyLimit)
    /** Finished operations in history now; cheaper than [statistics] for one count. */
    internal val historySize: Int get() = history.count

    // ---- called by operations --------------------------------------------------------------------

    internal fun started(op: Cancelable) {
        check(active.putIfAbsent(op.id, op) == null) { "operation id '${op.id}' is already running in this registry" }
        if (listeners.isNotEmpty()) notify { it.onStarted(op) }
    }

    /**
     * Moves [op] from the live set to history. Called once per run, when it is released, by the
     * thread that ran it; so it enters history once. History first: a reader may briefly see the
     * operation both live and finished, never neither.
     */
    internal fun finished(op: Cancelable) {
        val id = op.id
        if (historyLimit == 0 && listeners.isEmpty()) {
            active.remove(id, op)
            return
        }
        if (active[id] !== op) return
        // Into the history before out of the live list: a reader of both never misses the operation.
        val snapshot = op.snapshot()
        val entry = if (snapshot.partialResult is PartialResult<*>) withoutPayload(snapshot) else snapshot
        history.add(entry)
        active.remove(id, op)
        if (listeners.isNotEmpty()) notify { it.onFinished(entry) }
    }

    internal fun progressed(op: Cancelable, message: String, metadata: Map<String, Any?>) {
        if (listeners.isNotEmpty()) {
            val report = ProgressReport(op, message, metadata)
            notify { it.onProgress(report) }
        }
    }

    private inline fun notify(call: (OperationListener) -> Unit) {
        for (listener in listeners) {
            try {
                call(listener)
            } catch (e: Throwable) {
                e.rethrowIfFatal()
                log.warn("operation listener {} failed", listener, e)
            }
        }
    }

    /**
     * [snapshot] with its stream buffer cut to the last [historyBufferLimit] items, copied so the
     * entry does not keep the operation's whole list reachable; [snapshot] itself when its buffer
     * is already within the bound.
     */
    private fun withoutPayload(snapshot: OperationSnapshot): OperationSnapshot {
        val partial = snapshot.partialResult as PartialResult<*>
        val buffer = partial.buffer ?: return snapshot
        val keep = historyBufferLimit
        if (buffer.size <= keep) return snapshot
        val kept = if (keep == 0) null else ArrayList(buffer.subList(buffer.size - keep, buffer.size))
        return withPartialResult(snapshot, PartialResult(partial.count, kept, partial.completed, ownsBuffer = true))
    }

    // ---- reads -----------------------------------------------------------------------------------

    /** Number of operations running now. */
    public val activeCount: Int get() = active.size

    /** The running operation with [operationId], or null (also once it has finished). */
    public fun get(operationId: String): Cancelable? = active[operationId]

    /** Snapshots of the running operations, oldest start first. */
    public fun list(): List<OperationSnapshot> = list(ALL_OPERATIONS)

    /** Snapshots of the running operations that match [filter], oldest start first. */
    public fun list(filter: OperationFilter): List<OperationSnapshot> = matching(filter).map { it.snapshot() }

    /** Finished snapshots, oldest first (at most the history limit, the most recent). */
    public fun history(): List<OperationSnapshot> = history.toList()

    /** Finished snapshots that match [filter], oldest first. */
    public fun history(filter: OperationFilter): List<OperationSnapshot> {
        val now = clock.instant()
        return history.toList().filter { filter.matches(it, now) }
    }

    /** Counts now: running by status, history by status, mean duration of completed operations. */
    public fun statistics(): RegistryStatistics {
        val running = active.values.map { it.status }
        val finished = history.toList()
        val completed = finished.filter { it.status == OperationStatus.COMPLETED && it.duration != null }
        val average = if (completed.isEmpty()) null
        else completed.fold(Duration.ZERO) { sum, s -> sum + s.duration!! }.dividedBy(completed.size.toLong())
        return RegistryStatistics(
            activeCount = running.size,
            activeByStatus = running.groupingBy { it }.eachCount(),
            historySize = finished.size,
            historyByStatus = finished.groupingBy { it.status }.eachCount(),
            completedCount = completed.size,
            averageCompletedDuration = average,
        )
    }

    // ---- writes ----------------------------------------------------------------------------------

    /** Cancels the running operation [operationId] (MANUAL); see the other [cancel]. */
    public fun cancel(operationId: String): Boolean = cancel(operationId, CancellationReason.MANUAL, null)

    /**
     * Cancels the running operation [operationId] with [reason] and [message] (null: "Canceled
     * through the registry"). Returns true if this call canceled it; false if it is unknown, finished,
     * or was already canceled.
     */
    public fun cancel(operationId: String, reason: CancellationReason, message: String?): Boolean {
        val op = active[operationId]
        if (op == null) {
            log.debug("cancel: no running operation {}", operationId)
            return false
        }
        return op.cancel(reason, message ?: "Canceled through the registry")
    }

    /** Cancels every running operation that matches [filter] (MANUAL); see the other [cancelAll]. */
    public fun cancelAll(filter: OperationFilter): Int = cancelAll(filter, CancellationReason.MANUAL, null)

    /**
     * Cancels every running operation that matches [filter] with [reason] and [message] (null: "Bulk
     * cancellation"), and returns how many this call actually canceled (operations already canceled
     * are not counted).
     */
    public fun cancelAll(filter: OperationFilter, reason: CancellationReason, message: String?): Int {
        val targets = matching(filter)
        val canceled = targets.count { it.cancel(reason, message ?: "Bulk cancellation") }
        log.debug("cancelAll canceled {} of {} matching operations", canceled, targets.size)
        return canceled
    }

    /**
     * Adds [listener], told of every operation of this registry from now on; close the returned
     * handle to remove it.
     */
    public fun addListener(listener: OperationListener): AutoCloseable {
        listeners.add(listener)
        return AutoCloseable { listeners.remove(listener) }
    }

    /** Removes every finished entry but the FAILED ones; see the other [cleanupCompleted]. */
    public fun cleanupCompleted(): Int = cleanupCompleted(null, true)

    /**
     * Removes history entries that ended at least [olderThan] ago (all finished entries when null),
     * keeping FAILED ones when [keepFailed]. Returns how many were removed.
     *
     * @throws IllegalArgumentException if [olderThan] is negative.
     */
    public fun cleanupCompleted(olderThan: Duration?, keepFailed: Boolean): Int {
        require(olderThan == null || !olderThan.isNegative) { "olderThan must not be negative, was $olderThan" }
        val cutoff = olderThan?.let { clock.instant().minus(it) }
        return history.removeIf { s ->
            !(keepFailed && s.status == OperationStatus.FAILED) &&
                (cutoff == null || s.endTime?.isAfter(cutoff) == false)
        }
    }

    /**
     * Exposes this registry over JMX as `dev.cancelable:type=OperationRegistry,name=<name>` on the
     * platform MBean server under [name] (Kotlin may omit it: `default`; a name holding `,=:"*?` or a
     * line break is quoted with `ObjectName.quote`): attributes `ActiveCount`, `HistorySize`, `Statistics` and
     * `ActiveOperations` (id, name, status, parent, start, duration), operations `cancel(id)` and
     * `cancelByPattern(glob)`. Nothing is exposed unless this is called; close the returned handle to
     * unexpose it.
     *
     * @throws UnsupportedOperationException where the platform has no JMX (Android).
     * @throws IllegalStateException if a registry is already exposed under [name].
     */
    public fun exposeJmx(name: String = "default"): AutoCloseable {
        require(name.isNotBlank()) { "name must not be blank" }
        if (!JmxSupport.isAvailable) throw UnsupportedOperationException("JMX is not available on this platform")
        return RegistryJmx.expose(this, name)
    }


    private fun matching(filter: OperationFilter): List<Cancelable> {
        val now = clock.instant()
        return active.values.filter { filter.matches(it, now) }.sortedBy { it.startTime }
    }

    override fun toString(): String = "OperationRegistry(active=${active.size}, history=${history.count}/$historyLimit)"

    public companion object {
        private val log = logger("registry")

        /** The registry operations join by default. */
        @JvmStatic
        public val global: OperationRegistry = OperationRegistry()
    }
}

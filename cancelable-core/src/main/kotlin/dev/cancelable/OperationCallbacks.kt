package dev.cancelable

import dev.cancelable.internal.logger
import dev.cancelable.internal.rethrowIfFatal
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * A set of callbacks, by kind, in registration order. Immutable: adding one makes a new set, so that
 * iterating (on every event) never locks, and an operation that adds none shares [EMPTY].
 *
 * A callback that throws is logged at WARN with the operation id, and the others still run. Terminal
 * callbacks run non-cancelably, so a suspending one can finish even while the caller is being
 * canceled. Thread-safe.
 */
internal class OperationCallbacks private constructor(
    val start: Array<OperationCallback>,
    val progress: Array<ProgressCallback>,
    val completed: Array<OperationCallback>,
    val canceled: Array<OperationCallback>,
    val failed: Array<FailureCallback>,
    val finished: Array<OperationCallback>,
) {
    fun plusStart(callback: OperationCallback) = copy(start = start + callback)
    fun plusProgress(callback: ProgressCallback) = copy(progress = progress + callback)
    fun plusCompleted(callback: OperationCallback) = copy(completed = completed + callback)
    fun plusCanceled(callback: OperationCallback) = copy(canceled = canceled + callback)
    fun plusFailed(callback: FailureCallback) = copy(failed = failed + callback)
    fun plusFinished(callback: OperationCallback) = copy(finished = finished + callback)

    /** This set's callbacks followed by [other]'s, kind by kind. */
    operator fun plus(other: OperationCallbacks): OperationCallbacks = when {
        this === EMPTY -> other
        other === EMPTY -> this
        else -> OperationCallbacks(
            start + other.start, progress + other.progress, completed + other.completed,
            canceled + other.canceled, failed + other.failed, finished + other.finished,
        )
    }

    /** True if a run ending with [status] has a callback to run for it. */
    fun hasTerminal(status: OperationStatus): Boolean = finished.isNotEmpty() || when (status) {
        OperationStatus.COMPLETED -> completed.isNotEmpty()
        OperationStatus.CANCELED -> canceled.isNotEmpty()
        OperationStatus.FAILED -> failed.isNotEmpty()
        else -> false
    }

    /** Runs the callbacks of an end with [status], then the `finished` ones; non-cancelably. */
    suspend fun runTerminal(context: OperationContext, status: OperationStatus, failure: Throwable?) {
        withContext(NonCancellable) {
            when (status) {
                OperationStatus.COMPLETED -> runAll("completed", completed, context)
                OperationStatus.CANCELED -> runAll("canceled", canceled, context)
                OperationStatus.FAILED -> for (callback in failed) guarded("failed", context.id) { callback(context, failure!!) }
                else -> Unit
            }
            runAll("finished", finished, context)
        }
    }

    private fun copy(
        start: Array<OperationCallback> = this.start,
        progress: Array<ProgressCallback> = this.progress,
        completed: Array<OperationCallback> = this.completed,
        canceled: Array<OperationCallback> = this.canceled,
        failed: Array<FailureCallback> = this.failed,
        finished: Array<OperationCallback> = this.finished,
    ) = OperationCallbacks(start, progress, completed, canceled, failed, finished)

    /**
     * An operation's callbacks: its [own], and, for an operation made by `combine`, those of the
     * operations it was made from ([carried], each once however deeply combinations were combined
     * again). [all] is what runs.
     */
    class Holder {
        @Volatile var own: OperationCallbacks = EMPTY
            private set
        @Volatile var carried: List<CancelableImpl> = emptyList()
            private set
        @Volatile var all: OperationCallbacks = EMPTY
            private set

        fun add(update: (OperationCallbacks) -> OperationCallbacks) = synchronized(this) {
            own = update(own)
            all = carriedCallbacks() + own
        }

        /** Carries the callbacks of [origins] (operations, or combinations of them), each original once, in order. */
        fun carry(origins: List<CancelableImpl>) = synchronized(this) {
            val contributors = LinkedHashSet<CancelableImpl>()
            for (origin in origins) {
                origin.callbackHolder?.let { contributors.addAll(it.carried) }
                contributors.add(origin)
            }
            carried = contributors.toList()
            all = carriedCallbacks() + own
        }

        private fun carriedCallbacks(): OperationCallbacks = carried.fold(EMPTY) { sum, op -> sum + (op.callbackHolder?.own ?: EMPTY) }
    }

    companion object {
        /** The empty set; never modified. */
        val EMPTY = OperationCallbacks(emptyArray(), emptyArray(), emptyArray(), emptyArray(), emptyArray(), emptyArray())
        private val log = logger("callbacks")

        suspend fun runAll(kind: String, callbacks: Array<OperationCallback>, context: OperationContext) {
            for (callback in callbacks) guarded(kind, context.id) { callback(context) }
        }

        /**
         * A progress report of [reporter]: to the progress callbacks of it and of each ancestor still
         * running (nearest first, one report object shared), then to its registry's listeners.
         */
        fun report(reporter: CancelableImpl, message: String, metadata: Map<String, Any?>) {
            if (reporter.isDone) return
            var report: ProgressReport? = null
            var op: CancelableImpl? = reporter
            while (op != null) {
                val listeners = op.callbacks.progress
                if (listeners.isNotEmpty() && !op.isDone) {
                    val r = report ?: ProgressReport(reporter, message, metadata).also { report = it }
                    runProgress(listeners, reporter.id, r)
                }
                op = op.parentOp
            }
            reporter.registry?.progressed(reporter, message, metadata)
        }

        fun runProgress(callbacks: Array<ProgressCallback>, reporterId: String, report: ProgressReport) {
            for (callback in callbacks) guarded("progress", reporterId) { callback(report) }
        }

        private inline fun guarded(kind: String, operationId: String, call: () -> Unit) {
            try {
                call()
            } catch (e: Throwable) {
                e.rethrowIfFatal()
                if (e is CancellationException) log.warn("{} callback of operation {} was canceled", kind, operationId, e)
                else log.warn("{} callback of operation {} failed", kind, operationId, e)
            }
        }
    }
}

package dev.cancelable.internal

import dev.cancelable.ErrorCallback
import dev.cancelable.OperationCallback
import dev.cancelable.OperationContext
import dev.cancelable.ProgressCallback
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * The callbacks of one operation, by kind, in registration order.
 *
 * Each kind is a copy-on-write array (registration is rare, iteration is on every event and must
 * not lock). A callback that throws is logged at WARN with the operation id, and the others still
 * run. Terminal callbacks run non-cancelably, so a suspending one can finish even while the caller
 * is being canceled. Thread-safe.
 */
internal class OperationCallbacks private constructor(private val readOnly: Boolean) {
    constructor() : this(readOnly = false)

    @Volatile var start: Array<OperationCallback> = NONE; private set
    @Volatile var progress: Array<ProgressCallback> = NO_PROGRESS; private set
    @Volatile var complete: Array<OperationCallback> = NONE; private set
    @Volatile var cancel: Array<OperationCallback> = NONE; private set
    @Volatile var error: Array<ErrorCallback> = NO_ERROR; private set

    fun addStart(callback: OperationCallback) = synchronized(this) { checkWritable(); start += callback }
    fun addProgress(callback: ProgressCallback) = synchronized(this) { checkWritable(); progress += callback }
    fun addComplete(callback: OperationCallback) = synchronized(this) { checkWritable(); complete += callback }
    fun addCancel(callback: OperationCallback) = synchronized(this) { checkWritable(); cancel += callback }
    fun addError(callback: ErrorCallback) = synchronized(this) { checkWritable(); error += callback }

    /** Appends all of [other]'s callbacks after this one's, kind by kind. */
    fun addAll(other: OperationCallbacks) = synchronized(this) {
        checkWritable()
        start += other.start
        progress += other.progress
        complete += other.complete
        cancel += other.cancel
        error += other.error
    }

    /** How many callbacks of each kind there are now, for [after]. */
    fun counts(): IntArray = synchronized(this) { intArrayOf(start.size, progress.size, complete.size, cancel.size, error.size) }

    /** The callbacks added after the moment [counts] returned [counts]. */
    fun after(counts: IntArray): OperationCallbacks = synchronized(this) {
        OperationCallbacks().also {
            it.start = start.copyOfRange(counts[0], start.size)
            it.progress = progress.copyOfRange(counts[1], progress.size)
            it.complete = complete.copyOfRange(counts[2], complete.size)
            it.cancel = cancel.copyOfRange(counts[3], cancel.size)
            it.error = error.copyOfRange(counts[4], error.size)
        }
    }

    private fun checkWritable() = check(!readOnly) { "the shared empty callback set is read-only" }

    companion object {
        private val NONE = emptyArray<OperationCallback>()
        private val NO_PROGRESS = emptyArray<ProgressCallback>()
        private val NO_ERROR = emptyArray<ErrorCallback>()

        /** The empty set an operation reads until its first callback is added; never modified. */
        val EMPTY = OperationCallbacks(readOnly = true)
        private val log = logger("callbacks")

        suspend fun runAll(kind: String, callbacks: Array<OperationCallback>, context: OperationContext) {
            if (callbacks.isEmpty()) return
            for (callback in callbacks) guarded(kind, context.id) { callback(context) }
        }

        /** Terminal callbacks: non-cancelable, so they run even when the caller is being canceled. */
        suspend fun runTerminal(kind: String, callbacks: Array<OperationCallback>, context: OperationContext) {
            if (callbacks.isEmpty()) return
            withContext(NonCancellable) { runAll(kind, callbacks, context) }
        }

        suspend fun runError(callbacks: Array<ErrorCallback>, context: OperationContext, error: Throwable) {
            if (callbacks.isEmpty()) return
            withContext(NonCancellable) {
                for (callback in callbacks) guarded("error", context.id) { callback(context, error) }
            }
        }

        suspend fun runProgress(
            callbacks: Array<ProgressCallback>,
            reporterId: String,
            message: String,
            metadata: Map<String, Any?>,
        ) {
            for (callback in callbacks) guarded("progress", reporterId) { callback(reporterId, message, metadata) }
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

package dev.cancelable.internal

import dev.cancelable.CancelationException
import dev.cancelable.ManualCancelation
import dev.cancelable.OperationStatus
import dev.cancelable.TimeoutCancelation
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException

/** How a block that threw ends its operation: the final status, what to throw, the failure to report. */
internal class Exit(val status: OperationStatus, val toThrow: Throwable, val failure: Throwable?)

/**
 * Decides the outcome of a block that ended by throwing [cause] (what the block itself threw, identity
 * preserved), where [thrown] is what reached the runner and [callerCanceled] tells whether the
 * caller's own coroutine was canceled.
 *
 * - An `Error` always fails the operation and propagates.
 * - Cancelation requested (source, `cancel()`, registry, parent): CANCELED, and the typed exception is
 *   thrown; if the block threw something else because of it (a closed socket), that is attached as
 *   suppressed. A canceled caller gets its own cancelation back (never that other exception). The
 *   decision is final: a cancel requested after it is refused.
 * - A cancelation nobody requested: the caller was canceled (PARENT, propagated untouched), or the block
 *   threw one itself (a typed one keeps its reason; kotlinx's timeout counts as TIMEOUT; any other as
 *   MANUAL).
 * - Anything else: FAILED, rethrown unchanged.
 */
internal fun classifyExit(op: CancelableImpl, cause: Throwable, thrown: Throwable, callerCanceled: Boolean): Exit {
    // Unless the block threw a cancelation, the outcome is decided here, once: a cancel that comes
    // later is refused, so a FAILED operation never records a reason nor lets `cancel` return true.
    val requested = if (cause is CancellationException) op.pendingCancelation else op.closeCancelRequests()
    if (cause is Error) return Exit(OperationStatus.FAILED, cause, cause)
    if (requested != null) {
        if (cause !== requested && cause !is CancellationException) requested.addSuppressed(cause)
        // A canceled caller gets its own cancelation back; a failure the cancel caused is no such thing.
        val canceledCaller = callerCanceled && thrown is CancellationException
        return Exit(OperationStatus.CANCELED, if (canceledCaller) thrown else requested, null)
    }
    if (cause is CancellationException) {
        val recorded: CancelationException = when {
            callerCanceled -> op.parentCancelation()
            cause is CancelationException -> cause
            cause is TimeoutCancellationException -> TimeoutCancelation(cause.message, null, op.id)
            else -> ManualCancelation(cause.message, op.id)
        }
        op.recordExitCancelation(recorded)
        return Exit(OperationStatus.CANCELED, if (callerCanceled) thrown else cause, null)
    }
    return Exit(OperationStatus.FAILED, cause, cause)
}

/** Ends [op] with [status], runs the matching terminal callbacks, then releases it. */
internal suspend fun finishOperation(op: CancelableImpl, status: OperationStatus, failure: Throwable?) {
    op.end(status, failure)
    runTerminalCallbacks(op, status, failure)
    op.release()
}

/**
 * Ends and releases [op] at once when it has no callbacks for [status], and returns true; otherwise
 * returns false and the caller runs [finishOperation]. A suspend call allocates its frame before it
 * can return early, and most operations have no callbacks.
 */
internal fun finishedWithoutCallbacks(op: CancelableImpl, status: OperationStatus, failure: Throwable?): Boolean {
    if (hasTerminalCallbacks(op, status)) return false
    op.end(status, failure)
    op.release()
    return true
}

/** [finishOperation] for a plain thread. */
internal fun finishOperationBlocking(op: CancelableImpl, status: OperationStatus, failure: Throwable?) {
    op.end(status, failure)
    if (hasTerminalCallbacks(op, status)) callSuspendBlocking(op) { runTerminalCallbacks(op, status, failure) }
    op.release()
}

private fun hasTerminalCallbacks(op: CancelableImpl, status: OperationStatus): Boolean = when (status) {
    OperationStatus.COMPLETED -> op.callbacks.complete.isNotEmpty()
    OperationStatus.CANCELED -> op.callbacks.cancel.isNotEmpty()
    OperationStatus.FAILED -> op.callbacks.error.isNotEmpty()
    else -> false
}

private suspend fun runTerminalCallbacks(op: CancelableImpl, status: OperationStatus, failure: Throwable?) {
    when (status) {
        OperationStatus.COMPLETED -> OperationCallbacks.runTerminal("complete", op.callbacks.complete, op)
        OperationStatus.CANCELED -> OperationCallbacks.runTerminal("cancel", op.callbacks.cancel, op)
        OperationStatus.FAILED -> OperationCallbacks.runError(op.callbacks.error, op, failure!!)
        else -> Unit
    }
}

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
 * Decides the outcome of a suspend run that ended by throwing. [thrown] is what the block itself threw
 * (identity preserved; null if it returned or never started), [escaped] what left the scope coroutine
 * (a child's failure, the block's exception or a copy of it, or a cancelation), and [callerCanceled]
 * tells whether the caller's own coroutine was canceled. The rules are `coroutineScope`'s:
 *
 * - Something other than a cancelation left the scope (the block threw it, or a coroutine it launched
 *   failed with it): FAILED, rethrown unchanged, even if a cancel had been requested (the block caught
 *   it and threw something else; the requested reason stays recorded). A later cancel is refused.
 * - Cancelation requested (source, `cancel()`, registry, parent): CANCELED, and the typed exception is
 *   thrown; a canceled caller gets its own cancelation back.
 * - A cancelation nobody requested: the caller was canceled (PARENT, its cancelation propagated
 *   untouched), or the block let one escape (another operation's, which keeps naming that operation; a
 *   typed one of its own; kotlinx's timeout, recorded as TIMEOUT; any other, MANUAL), rethrown as it is.
 */
internal fun classifyExit(op: CancelableImpl, thrown: Throwable?, escaped: Throwable, callerCanceled: Boolean): Exit {
    if (escaped !is CancellationException) {
        // The block's own exception, or a launched child's (whose identity only the scope knew).
        val failure = if (thrown != null && thrown !is CancellationException) thrown else escaped
        op.closeCancelRequests()
        return Exit(OperationStatus.FAILED, failure, failure)
    }
    val requested = op.pendingCancelation
    if (requested != null) return Exit(OperationStatus.CANCELED, if (callerCanceled) escaped else requested, null)
    return escapedCancelation(op, thrown ?: escaped, escaped, callerCanceled)
}

/**
 * Decides the outcome of a blocking run that threw [cause]. A cancel there interrupts the thread, so
 * whatever the block throws once a cancel was requested (an `InterruptedException`, a closed channel, a
 * driver's wrapper of either) is that cancel taking effect: CANCELED with the typed exception, the
 * block's exception attached as suppressed. Otherwise as [classifyExit].
 */
internal fun classifyBlockingExit(op: CancelableImpl, cause: Throwable): Exit {
    val requested = if (cause is CancellationException) op.pendingCancelation else op.closeCancelRequests()
    if (cause is Error) return Exit(OperationStatus.FAILED, cause, cause)
    if (requested != null) {
        if (cause !== requested && cause !is CancellationException) requested.addSuppressed(cause)
        return Exit(OperationStatus.CANCELED, requested, null)
    }
    if (cause !is CancellationException) return Exit(OperationStatus.FAILED, cause, cause)
    return escapedCancelation(op, cause, cause, callerCanceled = false)
}

/** A cancelation no one requested of [op] left its block: record what it says, rethrow it unchanged. */
private fun escapedCancelation(op: CancelableImpl, cause: Throwable, escaped: Throwable, callerCanceled: Boolean): Exit {
    val recorded: CancelationException = when {
        callerCanceled -> op.parentCancelation()
        cause is CancelationException -> cause
        cause is TimeoutCancellationException -> TimeoutCancelation(cause.message, null, op.id)
        else -> ManualCancelation(cause.message, op.id)
    }
    // Linked to this operation when created here, or made for it by id (a typed cancel the block built
    // for its own operation); never when it names another operation.
    op.recordExitCancelation(recorded, link = recorded !== cause || recorded.operationId == op.id)
    return Exit(OperationStatus.CANCELED, if (callerCanceled) escaped else cause, null)
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

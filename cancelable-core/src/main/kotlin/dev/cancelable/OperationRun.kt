package dev.cancelable

import dev.cancelable.internal.callSuspendBlocking
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException

/*
 * How a run ends: the decision of its outcome from what the block did, and the end itself (status,
 * terminal callbacks, release). Both runners ([runSuspending], [runOnThread]) end every run here.
 */

/** How a block that threw ends its operation: the final status, what to throw, the failure to report. */
internal class Exit(val status: OperationStatus, val toThrow: Throwable, val failure: Throwable?)

/**
 * Decides the outcome of a suspend run that ended by throwing. [thrown] is what the block itself threw
 * (identity preserved; null if it returned or never started), [escaped] what left the scope coroutine
 * (a child's failure, the block's exception or a copy of it, or a cancellation), and [callerCanceled]
 * tells whether the caller's own coroutine was canceled. The rules are `coroutineScope`'s:
 *
 * - Something other than a cancellation left the scope (the block threw it, or a coroutine it launched
 *   failed with it): FAILED, rethrown unchanged, even if a cancel had been requested (the block caught
 *   it and threw something else; the requested reason stays recorded). A later cancel is refused.
 * - Cancellation requested (source, `cancel()`, registry, parent): CANCELED, and the typed exception is
 *   thrown; a canceled caller gets its own cancellation back.
 * - A cancellation nobody requested: the caller was canceled (PARENT, its cancellation propagated
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
    val requested = op.pendingCancellation
    if (requested != null) return Exit(OperationStatus.CANCELED, if (callerCanceled) escaped else requested, null)
    return escapedCancellation(op, thrown ?: escaped, escaped, callerCanceled)
}

/**
 * Decides the outcome of a blocking run that threw [cause]. A cancel there interrupts the thread, so
 * whatever the block throws once a cancel was requested (an `InterruptedException`, a closed channel, a
 * driver's wrapper of either) is that cancel taking effect: CANCELED with the typed exception, the
 * block's exception attached as suppressed. Otherwise as [classifyExit].
 */
internal fun classifyBlockingExit(op: CancelableImpl, cause: Throwable): Exit {
    val requested = if (cause is CancellationException) op.pendingCancellation else op.closeCancelRequests()
    if (cause is Error) return Exit(OperationStatus.FAILED, cause, cause)
    if (requested != null) {
        if (cause !== requested && cause !is CancellationException) requested.addSuppressed(cause)
        return Exit(OperationStatus.CANCELED, requested, null)
    }
    if (cause !is CancellationException) return Exit(OperationStatus.FAILED, cause, cause)
    return escapedCancellation(op, cause, cause, callerCanceled = false)
}

/** A cancellation no one requested of [op] left its block: record what it says, rethrow it unchanged. */
private fun escapedCancellation(op: CancelableImpl, cause: Throwable, escaped: Throwable, callerCanceled: Boolean): Exit {
    val recorded: OperationCanceledException = when {
        callerCanceled -> op.family.callerCanceled()
        cause is OperationCanceledException -> cause
        cause is TimeoutCancellationException -> CanceledByTimeoutException(cause.message, null, op)
        else -> CanceledManuallyException(cause.message, op)
    }
    op.recordExitCancellation(recorded)
    return Exit(OperationStatus.CANCELED, if (callerCanceled) escaped else cause, null)
}

/** Ends [op] with [status], runs the matching terminal callbacks, then releases it. */
internal suspend fun finishOperation(op: CancelableImpl, status: OperationStatus, failure: Throwable?) {
    op.end(status, failure)
    op.callbacks.runTerminal(op, status, failure)
    op.release()
}

/**
 * Ends and releases [op] at once when it has no callbacks for [status], and returns true; otherwise
 * returns false and the caller runs [finishOperation]. A suspend call allocates its frame before it
 * can return early, and most operations have no callbacks.
 */
internal fun finishedWithoutCallbacks(op: CancelableImpl, status: OperationStatus, failure: Throwable?): Boolean {
    if (op.callbacks.hasTerminal(status)) return false
    op.end(status, failure)
    op.release()
    return true
}

/** [finishOperation] for a plain thread. */
internal fun finishOperationBlocking(op: CancelableImpl, status: OperationStatus, failure: Throwable?) {
    op.end(status, failure)
    val callbacks = op.callbacks
    if (callbacks.hasTerminal(status)) callSuspendBlocking(op) { callbacks.runTerminal(op, status, failure) }
    op.release()
}

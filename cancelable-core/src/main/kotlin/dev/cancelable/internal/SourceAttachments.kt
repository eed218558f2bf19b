package dev.cancelable.internal

import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlin.coroutines.CoroutineContext

/*
 * Attaching an operation's sources when it starts and releasing everything they armed when it ends.
 * A source that fails to attach or dispose is logged and skipped: the operation still runs, and
 * still ends with its real status.
 */

internal fun CancelableImpl.attachSources() {
    val list = sources
    if (list.isEmpty()) return
    val attached = arrayOfNulls<DisposableHandle>(list.size)
    handles = attached
    for (i in list.indices) {
        attached[i] = try {
            list[i].attach(this)
        } catch (e: Throwable) {
            e.rethrowIfFatal()
            CancelableImpl.log.warn("source {} of operation {} failed to attach; the operation runs without it", list[i], id, e)
            null
        }
    }
}

internal fun CancelableImpl.detachSources() {
    handles?.let { attached ->
        handles = null
        for (handle in attached) {
            try {
                handle?.dispose()
            } catch (e: Throwable) {
                e.rethrowIfFatal()
                CancelableImpl.log.warn("a source of operation {} failed to dispose", id, e)
            }
        }
    }
    pollers?.cancel()
}

/**
 * The scope sources poll in: on the operation's dispatcher (so virtual time drives it), or, in
 * blocking mode, on `Dispatchers.Default`. It is not a child of the operation's Job (the operation's
 * scope must be able to finish while a poller still waits) and is canceled when the operation ends.
 * A poller's failure is logged, never propagated to the operation.
 */
internal fun newPollerScope(op: CancelableImpl): CoroutineScope {
    val context = op.runContext
    val element: CoroutineContext = op
    val scope = if (context != null) CoroutineScope(context.minusKey(Job) + SupervisorJob() + PollerFailures)
    else CoroutineScope(Dispatchers.Default + element + SupervisorJob() + PollerFailures)
    if (op.isDone) scope.cancel()
    return scope
}

private val PollerFailures = CoroutineExceptionHandler { _, e -> CancelableImpl.log.warn("a source's coroutine failed", e) }

package dev.cancelable.internal

import dev.cancelable.Cancelable
import dev.cancelable.OperationScope
import dev.cancelable.OperationStatus
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.withContext
import kotlin.coroutines.CoroutineContext

/**
 * Runs an operation as one coroutine: `withContext(operation)`, whose Job is a child of the caller's
 * and whose context holds the operation. Sources attach inside it, on its dispatcher's clock, and are
 * disposed once the scope has finished, so they also cover the coroutines the block launched. A block
 * that returned is COMPLETED, even if it caught a cancelation or one landed just after; but a
 * cancelation that lands while coroutines the block launched still run cancels them and ends the
 * operation CANCELED; otherwise [classifyExit] decides.
 */
internal object SuspendRunner {

    suspend fun <T> run(op: CancelableImpl, block: suspend OperationScope.() -> T, shielded: Boolean): T {
        op.claimRun()
        val caller = currentCoroutineContext()
        op.begin(caller[Cancelable], if (shielded) OperationStatus.SHIELDED else OperationStatus.RUNNING)
        val frame = Frame<T>(op)
        val value = try {
            withContext(contextFor(op, shielded)) { frame.enter(coroutineContext, block) }
        } catch (e: Throwable) {
            // Sources stay attached until the scope has finished, coroutines the block launched included.
            op.detachSources()
            if (frame.returned && e is CancellationException && (frame.caughtCancelation || !frame.leftChildren)) {
                // The block returned its value having handled the cancelation, or with nothing left
                // running for a later one to interrupt: the work completed.
                if (!finishedWithoutCallbacks(op, OperationStatus.COMPLETED, null)) finishOperation(op, OperationStatus.COMPLETED, null)
                @Suppress("UNCHECKED_CAST")
                return frame.value as T
            }
            // Canceled before the block could start (the caller was): the start callbacks still
            // run, so every operation that ran fires them before its terminal ones.
            if (!frame.entered) OperationCallbacks.runTerminal("start", op.callbacks.start, op)
            val callerCanceled = !shielded && caller[Job]?.isCancelled == true
            val exit = classifyExit(op, frame.thrown ?: e, e, callerCanceled)
            if (!finishedWithoutCallbacks(op, exit.status, exit.failure)) finishOperation(op, exit.status, exit.failure)
            throw exit.toThrow
        }
        op.detachSources()
        if (!finishedWithoutCallbacks(op, OperationStatus.COMPLETED, null)) finishOperation(op, OperationStatus.COMPLETED, null)
        return value
    }

    /** The operation as the coroutine's element; plus its MDC entries when logging has an MDC. */
    private fun contextFor(op: CancelableImpl, shielded: Boolean): CoroutineContext {
        val base: CoroutineContext = if (shielded) NonCancellable + op else op
        return if (Mdc.enabled) base + OperationThreadElement(op, currentOperation = false) else base
    }

    /** A shielded section: runs non-cancelably, then lets a pending cancelation of the caller land. */
    suspend fun <T> shield(section: CancelableImpl, block: suspend OperationScope.() -> T): T {
        val value = run(section, block, shielded = true)
        currentCoroutineContext().ensureActive()
        return value
    }

    /**
     * One run: the [OperationScope] the block receives, and what the block did, kept apart from what
     * `withContext` reports after it.
     */
    private class Frame<T>(override val operation: CancelableImpl) : OperationScope {
        var entered = false
        var returned = false
        /** The block returned after a cancelation was requested, so it handled it. */
        var caughtCancelation = false
        /** Coroutines the block launched were still running when it returned. */
        var leftChildren = false
        var value: T? = null
        var thrown: Throwable? = null
        override lateinit var coroutineContext: CoroutineContext

        // Inline: the scope coroutine's own lambda carries this state, so entering allocates no frame of its own.
        suspend inline fun enter(context: CoroutineContext, noinline block: suspend OperationScope.() -> T): T {
            val op = operation
            entered = true
            coroutineContext = context
            op.runContext = context
            val job = context[Job]
            op.job = job
            op.attachSources()
            op.pendingCancelation?.let { job?.cancel(it) }
            try {
                val starts = op.callbacks.start
                if (starts.isNotEmpty()) OperationCallbacks.runAll("start", starts, op)
                val result = block(this)
                value = result
                caughtCancelation = op.pendingCancelation != null
                leftChildren = job != null && job.children.any()
                returned = true
                return result
            } catch (t: Throwable) {
                thrown = t
                throw t
            }
        }
    }
}

package dev.cancelable

import dev.cancelable.internal.Mdc
import dev.cancelable.internal.callSuspendBlocking
import java.nio.channels.ClosedByInterruptException
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater

/**
 * Runs [op] on the calling thread. Sources attach on the shared timer thread; a cancel
 * interrupts the thread (if asked) through [BlockingCall], which never lets that interrupt leak past
 * the call. An interrupt from anyone else is a cancel request (MANUAL), and the interrupt flag is set
 * again before the typed exception is thrown.
 */
internal fun <T> runOnThread(op: CancelableImpl, interruptOnCancel: Boolean, block: (Cancelable) -> T): T {
    op.claimRun()
    // An interrupt the thread came in with is its owner's, even if the cancel's own is cleared over it.
    val interruptedBefore = Thread.currentThread().isInterrupted
    val outer = CurrentOperationThreadLocal.get()
    op.begin(outer)
    val call = BlockingCall(Thread.currentThread(), interruptOnCancel)
    op.enterThread(call)
    CurrentOperationThreadLocal.install(op)
    val mdc = if (Mdc.enabled) OperationThreadElement(op, currentOperation = false) else null
    val mdcBefore = mdc?.updateThreadContext(op)
    var returned = false
    var value: T? = null
    var failure: Throwable? = null
    var clearedOurInterrupt = false
    try {
        op.attachSources()
        val starts = op.callbacks.start
        if (starts.isNotEmpty()) callSuspendBlocking(op) { OperationCallbacks.runAll("start", starts, op) }
        // Canceled before the block could start: it never runs.
        op.pendingCancellation?.let { throw it }
        value = block(op)
        returned = true
    } catch (t: Throwable) {
        failure = t
        if (op.pendingCancellation == null && (t is InterruptedException || t is ClosedByInterruptException)) {
            call.interruptedByOthers = true
        }
    } finally {
        op.detachSources()
        clearedOurInterrupt = call.finish()
        CurrentOperationThreadLocal.restore(outer)
        if (mdc != null) mdc.restoreThreadContext(op, mdcBefore!!)
    }
    try {
        if (returned) {
            finishOperationBlocking(op, OperationStatus.COMPLETED, null)
            @Suppress("UNCHECKED_CAST")
            return value as T
        }
        val cause = failure!!
        if (call.interruptedByOthers) op.fireInterrupted()
        val exit = classifyBlockingExit(op, cause)
        finishOperationBlocking(op, exit.status, exit.failure)
        throw exit.toThrow
    } finally {
        // The flag belongs to whoever interrupted from outside; and this call may have consumed the
        // one flag an enclosing operation canceled meanwhile needs for its own blocking work, which
        // goes back through the enclosing call, so that it is cleared when that call ends.
        if (call.interruptedByOthers || (interruptedBefore && clearedOurInterrupt)) {
            call.thread.interrupt()
        } else if (outer != null && outer.isCanceled && outer.wantsInterrupts(call.thread)) {
            outer.blockingCall?.reassert() ?: call.thread.interrupt()
        }
    }
}

/**
 * True if a pending cancel of this operation should interrupt [thread]: it runs a blocking call there
 * that asked for interrupts, or runs there through `interruptible` (no blocking call of its own).
 */
internal fun CancelableImpl.wantsInterrupts(thread: Thread): Boolean {
    val call = blockingCall ?: return true
    return call.thread === thread && call.interruptOnCancel
}

/**
 * Interrupts a thread blocked in an operation without letting the interrupt escape the call.
 *
 * | state        | meaning                                                    |
 * |--------------|------------------------------------------------------------|
 * | WORKING      | the block runs; [interrupt] may move to INTERRUPTING        |
 * | INTERRUPTING | `Thread.interrupt()` is being delivered                     |
 * | INTERRUPTED  | delivered; [finish] clears the flag it set                  |
 * | FINISHED     | the block is over; [interrupt] does nothing                 |
 */
internal class BlockingCall(val thread: Thread, val interruptOnCancel: Boolean) {
    @Volatile private var state = WORKING

    /** Someone else interrupted the thread: the flag is theirs, and is set again when the call ends. */
    @Volatile var interruptedByOthers = false

    fun interrupt() {
        if (!interruptOnCancel || !STATE.compareAndSet(this, WORKING, INTERRUPTING)) return
        thread.interrupt()
        state = INTERRUPTED
    }

    /**
     * Sets the flag again for a cancel of this call's operation whose interrupt an inner call
     * consumed, as [interrupt] would, so that [finish] clears it; delivered already, it is set anew.
     */
    fun reassert() {
        if (!interruptOnCancel) return
        if (STATE.compareAndSet(this, WORKING, INTERRUPTING)) {
            thread.interrupt()
            state = INTERRUPTED
        } else if (state != FINISHED) {
            thread.interrupt()
        }
    }

    /** Ends the call; returns true if it cleared the interrupt flag it had set. */
    fun finish(): Boolean {
        while (true) {
            when (state) {
                WORKING -> if (STATE.compareAndSet(this, WORKING, FINISHED)) return false
                INTERRUPTING -> Thread.yield() // not onSpinWait: Android API 26 lacks it
                INTERRUPTED -> {
                    Thread.interrupted()
                    state = FINISHED
                    return true
                }
                else -> return false
            }
        }
    }

    private companion object {
        const val WORKING = 0
        const val INTERRUPTING = 1
        const val INTERRUPTED = 2
        const val FINISHED = 3
        val STATE: AtomicIntegerFieldUpdater<BlockingCall> = AtomicIntegerFieldUpdater.newUpdater(BlockingCall::class.java, "state")
    }
}

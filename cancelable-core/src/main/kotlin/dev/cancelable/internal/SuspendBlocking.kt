package dev.cancelable.internal

import java.util.concurrent.locks.LockSupport
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlin.coroutines.intrinsics.startCoroutineUninterceptedOrReturn

/**
 * Calls a suspend function from a plain thread. A function that does not suspend (every plain
 * callback) runs inline at the cost of a call; one that does is waited for. An interrupt while
 * waiting is remembered and the flag set again afterwards.
 */
internal fun <T> callSuspendBlocking(context: CoroutineContext, function: suspend () -> T): T {
    val waiter = object : Continuation<T> {
        val thread: Thread = Thread.currentThread()
        @Volatile var outcome: Result<T>? = null
        override val context: CoroutineContext get() = context
        override fun resumeWith(result: Result<T>) {
            outcome = result
            LockSupport.unpark(thread)
        }
    }
    val immediate = function.startCoroutineUninterceptedOrReturn(waiter)
    @Suppress("UNCHECKED_CAST")
    if (immediate !== COROUTINE_SUSPENDED) return immediate as T
    var interrupted = false
    while (waiter.outcome == null) {
        LockSupport.park(waiter)
        if (Thread.interrupted()) interrupted = true
    }
    if (interrupted) Thread.currentThread().interrupt()
    return waiter.outcome!!.getOrThrow()
}

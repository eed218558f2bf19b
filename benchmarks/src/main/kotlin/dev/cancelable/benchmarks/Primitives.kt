package dev.cancelable.benchmarks

import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Delay
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.cancellation.CancellationException

/**
 * The kotlinx.coroutines primitives a user would otherwise reach for, each repeated [n] times inside
 * one `runBlocking` (a suspend function cannot be a JMH benchmark). The Java benchmark divides by
 * [n] with `@OperationsPerInvocation`. Every loop folds the block's value into a sum the benchmark
 * returns, so nothing can be dropped as dead code.
 */
object Primitives {
    /** Enter/exit loops per invocation: large enough that one `runBlocking` costs under 1 %. */
    const val OPS = 1_000

    /** Check loops per invocation: a check costs nanoseconds, so many more. */
    const val CHECKS = 100_000

    /** Children per fan-out. */
    const val CHILDREN = 10_000

    /** Items per collected flow. */
    const val ITEMS = 10_000

    /** A timeout that never fires during a benchmark. */
    const val TIMEOUT_MILLIS = 60_000L

    private val element = CoroutineName("benchmark")

    /** `withTimeout(60 s) { }`: arms a timer on the event loop and disposes it at exit. */
    @JvmStatic
    fun withTimeoutLoop(n: Int): Long = runBlocking {
        var sum = 0L
        for (i in 0 until n) sum += withTimeout(TIMEOUT_MILLIS) { i }
        sum
    }

    /**
     * `withContext(element) { }` that arms a timer on the dispatcher's `Delay` and disarms it, as an
     * operation with a timeout does: the least such an operation can cost, built from the primitives.
     */
    @OptIn(InternalCoroutinesApi::class)
    @JvmStatic
    fun withContextAndTimerLoop(n: Int): Long = runBlocking {
        var sum = 0L
        for (i in 0 until n) {
            sum += withContext(element) {
                val delay = coroutineContext[ContinuationInterceptor] as Delay
                delay.invokeOnTimeout(TIMEOUT_MILLIS, noop, coroutineContext).dispose()
                i
            }
        }
        sum
    }

    private val noop = Runnable { }

    /** `withContext(element) { }`: one scope coroutine whose context holds an extra element. */
    @JvmStatic
    fun withContextLoop(n: Int): Long = runBlocking {
        var sum = 0L
        for (i in 0 until n) sum += withContext(element) { i }
        sum
    }

    /** `coroutineScope { }`: the cheapest scope coroutine. */
    @JvmStatic
    fun coroutineScopeLoop(n: Int): Long = runBlocking {
        var sum = 0L
        for (i in 0 until n) sum += coroutineScope { i }
        sum
    }

    /** `ensureActive()` inside a scope, [n] times. */
    @JvmStatic
    fun ensureActiveLoop(n: Int): Long = runBlocking {
        coroutineScope {
            var sum = 0L
            for (i in 0 until n) {
                ensureActive()
                sum += i
            }
            sum
        }
    }

    /** `Job(parent)` then `complete()`, so the parent does not accumulate children. */
    @JvmStatic
    fun jobChildLoop(n: Int): Long {
        val parent = Job()
        var sum = 0L
        for (i in 0 until n) {
            val child = Job(parent)
            if (child.complete()) sum += i
        }
        parent.cancel()
        return sum
    }

    /**
     * Plain Job fan-out: [children] coroutines launched in one scope and suspended, then the scope is
     * canceled and every child unwinds. Returns how many children were launched.
     */
    @JvmStatic
    fun jobFanOut(children: Int): Int = runBlocking {
        var launched = 0
        try {
            coroutineScope {
                for (i in 0 until children) {
                    launch(start = CoroutineStart.UNDISPATCHED) { awaitCancellation() }
                    launched++
                }
                cancel()
                awaitCancellation()
            }
        } catch (_: CancellationException) {
            // expected: the scope was canceled
        }
        launched
    }

    /**
     * The same fan-out with each child inside its own `withContext(element)` scope, as each child
     * operation is: what a child operation costs at the least, built from the primitives.
     */
    @JvmStatic
    fun scopedFanOut(children: Int): Int = runBlocking {
        var launched = 0
        try {
            coroutineScope {
                for (i in 0 until children) {
                    launch(start = CoroutineStart.UNDISPATCHED) { withContext(element) { awaitCancellation() } }
                    launched++
                }
                cancel()
                awaitCancellation()
            }
        } catch (_: CancellationException) {
            // expected: the scope was canceled
        }
        launched
    }

    /** A raw `collect` of [n] items, the baseline for per-item flow wrapping. */
    @JvmStatic
    fun collectLoop(n: Int): Long = runBlocking {
        var sum = 0L
        flow { for (i in 0 until n) emit(i) }.collect { sum += it }
        sum
    }
}

package dev.cancelable.internal

import kotlinx.coroutines.Delay
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration

/**
 * Arms one-shot timers for sources.
 *
 * Inside a coroutine the timer goes to the dispatcher's own `Delay` (the test scheduler of
 * `runTest`, Android's main looper, the event loop of `runBlocking`, which hands it to kotlinx's
 * shared delay thread), exactly where kotlinx's `withTimeout` puts it, so virtual time controls it
 * and no thread of ours is involved. Dispatchers without a
 * clock of their own (`Default`, `IO`) and blocking calls share one daemon timer thread
 * ([SharedTimer]), created on first use; canceled timers are removed from its queue at once.
 *
 * **Why an internal kotlinx API.** `Delay` and its `invokeOnTimeout` are `@InternalCoroutinesApi`,
 * and kotlinx.coroutines has no public way to put a bare callback on a dispatcher's clock. The public
 * ways cost a coroutine per timer: a `delay` in a coroutine launched `UNDISPATCHED` (and canceled when
 * the operation ends) measured 2.4x an arm-and-dispose through `Delay`, both inside a
 * `withContext(element)` scope (JMH, JDK 17, 1.5 µs against 0.64 µs), and a lazily started one arms
 * nothing until the dispatcher gets to run it; `withTimeout` around the block is a second scope
 * coroutine, 3-4x. Either would break the performance and memory budgets of an operation with a
 * timeout. So this file, and only this file, calls `Delay.invokeOnTimeout` (the benchmarks also call
 * it, as the baseline they compare against).
 *
 * Two guards keep that honest: `TimersContractTest` fails the build if the dispatchers users run on
 * (`runTest`'s test dispatchers, `runBlocking`'s event loop, a `Dispatchers.Main` set to a test
 * dispatcher) stop being `Delay`s or stop firing in virtual time, so a kotlinx upgrade cannot change
 * it silently; and should a user run a kotlinx release whose `Delay` no longer links, [schedule]
 * logs one warning and falls back to the shared timer thread (wall-clock time) instead of failing.
 *
 * Thread-safety: [schedule] may be called from any thread.
 */
internal object Timers {
    private val shared = SharedTimer("cancelable-timer")

    /**
     * False once kotlinx's `Delay` failed to link. A plain field: a thread that has not seen the
     * write yet fails to link once more and lands on the same fallback.
     */
    private var delayLinks = true

    @OptIn(InternalCoroutinesApi::class)
    fun schedule(context: CoroutineContext?, delay: Duration, action: Runnable): DisposableHandle {
        if (context != null && delayLinks) {
            try {
                val clock = context[ContinuationInterceptor] as? Delay
                if (clock != null) return clock.invokeOnTimeout(delay.toDelayMillis(), action, context)
            } catch (e: LinkageError) {
                delayDoesNotLink(e)
            }
        }
        return shared.schedule(delay.inWholeNanoseconds, action)
    }

    private fun delayDoesNotLink(e: LinkageError) {
        if (!delayLinks) return
        delayLinks = false
        logger("timer").warn(
            "kotlinx.coroutines' Delay.invokeOnTimeout does not link with the kotlinx.coroutines on the class path; " +
                "timeouts now run on the shared timer thread, on wall-clock time, not on the dispatcher's clock",
            e,
        )
    }

    /** Timers armed on the shared thread and not yet run or canceled (for leak checks in tests). */
    val pendingSharedTimers: Int get() = shared.pending
}

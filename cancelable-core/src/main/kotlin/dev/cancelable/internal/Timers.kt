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
 * Inside a coroutine the timer goes to the dispatcher's own `Delay` (the event loop of
 * `runBlocking`, the test scheduler of `runTest`, Android's main looper), exactly where kotlinx's
 * `withTimeout` puts it, so virtual time controls it and no thread is involved. Dispatchers without a
 * clock of their own (`Default`, `IO`) and blocking calls share one daemon timer thread
 * ([SharedTimer]), created on first use; canceled timers are removed from its queue at once.
 */
internal object Timers {
    private val shared = SharedTimer("cancelable-timer")

    @OptIn(InternalCoroutinesApi::class)
    fun schedule(context: CoroutineContext?, delay: Duration, action: Runnable): DisposableHandle {
        val clock = context?.get(ContinuationInterceptor) as? Delay
        if (clock != null) return clock.invokeOnTimeout(delay.toDelayMillis(), action, context)
        return shared.schedule(delay.inWholeNanoseconds, action)
    }

    /** Timers armed on the shared thread and not yet run or canceled (for leak checks in tests). */
    val pendingSharedTimers: Int get() = shared.pending
}

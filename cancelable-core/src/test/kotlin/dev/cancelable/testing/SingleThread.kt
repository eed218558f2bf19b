package dev.cancelable.testing

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** Runs [block] on a fresh single-threaded dispatcher, handing it that dispatcher's thread; shuts it down after. */
suspend fun <T> onSingleThread(block: suspend CoroutineScope.(Thread) -> T): T {
    val executor = Executors.newSingleThreadExecutor { Thread(it, "the-single-thread") }
    try {
        val dispatcher = executor.asCoroutineDispatcher()
        val thread = withContext(dispatcher) { Thread.currentThread() }
        return withContext(dispatcher) { block(thread) }
    } finally {
        executor.shutdownNow()
    }
}

/**
 * A predicate that blocks until [releaseFrom] (a coroutine on the operation's own thread) lets it go,
 * and holds then. If the predicate ran on that thread, its first wait would time out instead.
 */
class LatchedPredicate {
    private val entered = CompletableDeferred<Unit>()
    private val latch = CountDownLatch(1)
    val waits = CopyOnWriteArrayList<Boolean>()
    val threads = CopyOnWriteArrayList<Thread>()

    fun evaluate(): Boolean {
        threads += Thread.currentThread()
        entered.complete(Unit)
        val released = latch.await(10, TimeUnit.SECONDS)
        waits += released
        return released
    }

    fun releaseFrom(scope: CoroutineScope) = scope.launch {
        entered.await()
        latch.countDown()
    }
}

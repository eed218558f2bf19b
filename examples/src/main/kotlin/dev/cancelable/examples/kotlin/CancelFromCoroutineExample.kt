package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.OperationCanceledException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/**
 * Coroutines cancel each other's operations: directly, by canceling the coroutine that runs one
 * (structured concurrency: reason PARENT), or through a token another coroutine waits on.
 * Kotlin only: Java has no coroutines; its threads and futures are in CancelFromThreadExample.
 */
object CancelFromCoroutineExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:cancel-from-coroutine
        val crawl = Cancelable(name = "crawl")
        launch {                                                   // a watchdog coroutine
            delay(200.milliseconds)
            crawl.cancel(CancellationReason.MANUAL, "watchdog: enough pages")
        }
        var pages = 0
        try {
            crawl.run {
                while (true) {
                    delay(30.milliseconds)
                    pages++
                }
            }
        } catch (e: OperationCanceledException) {
            println("crawl canceled by another coroutine after $pages pages: ${e.reason} - ${e.message}")
        }
        // endregion

        val index = Cancelable(name = "index")
        val indexer = launch { index.run { awaitCancellation() } }
        delay(50.milliseconds)
        indexer.cancelAndJoin()                                     // cancel the coroutine, not the operation
        println("index: ${index.status}, reason ${index.cancelReason}")

        val token = CancellationToken()
        val waiter = async { token.awaitCancel() }
        launch { token.cancel(CancellationReason.SIGNAL, "shutting down") }
        println("awaitCancel returned ${waiter.await()}")
    }
}

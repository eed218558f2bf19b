package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationCanceledException
import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/** A plain thread cancels a suspended operation, directly or through the registry; it wakes at once. */
object CancelFromThreadExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:cancel-from-thread
        val render = Cancelable(name = "render-video")
        thread(name = "operator") {
            Thread.sleep(200)
            render.cancel(CancellationReason.MANUAL, "operator pressed stop")    // non-suspending, any thread
        }
        val started = TimeSource.Monotonic.markNow()
        try {
            render.run { delay(10.seconds) }                                   // woken at the cancel, not after 10 s
        } catch (e: OperationCanceledException) {
            println("render-video canceled from thread 'operator' after ${started.elapsedNow().inWholeMilliseconds} ms: " +
                "${e.reason} - ${e.message}")
        }
        // endregion

        val registry = OperationRegistry()
        val transcode = Cancelable(name = "transcode", registry = registry)
        val admin = thread(name = "admin") {
            while (registry.activeCount == 0) Thread.sleep(1)
            registry.cancel(registry.list(OperationFilter(namePattern = "transcode")).single().id)
        }
        try {
            transcode.run { delay(10.seconds) }
        } catch (e: OperationCanceledException) {
            println("transcode canceled from thread 'admin': ${e.reason}")
        }
        admin.join()
    }
}

package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.examples.support.scaled
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/** A plain thread cancels a suspended operation, directly or through the registry; it wakes at once. */
object CancelFromThreadExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:cancel-from-thread
        val render = Cancelable(name = "render-video")
        thread(name = "operator") {
            Thread.sleep(scaled(200.milliseconds).inWholeMilliseconds)
            render.cancel(CancellationReason.MANUAL, "operator pressed stop")    // non-suspending, any thread
        }
        val started = TimeSource.Monotonic.markNow()
        try {
            render.run { delay(scaled(10.seconds)) }                           // woken at the cancel, not after 10 s
        } catch (e: OperationCanceledException) {
            println("render-video canceled from thread 'operator' after ${started.elapsedNow().inWholeMilliseconds} ms: " +
                "${e.reason} - ${e.message}")
        }
        // endregion

        val registry = OperationRegistry()
        val transcode = Cancelable(name = "transcode", registry = registry)
        thread(name = "admin") {
            while (registry.activeCount == 0) Thread.sleep(1)
            registry.cancel(registry.find("transcode").single().id)
        }
        try {
            transcode.run { delay(scaled(10.seconds)) }
        } catch (e: OperationCanceledException) {
            println("transcode canceled from thread 'admin': ${e.reason}")
        }
    }
}

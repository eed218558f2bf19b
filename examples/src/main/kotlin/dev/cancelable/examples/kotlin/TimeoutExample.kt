package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.runInterruptible
import dev.cancelable.examples.support.scaled
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/** A deadline around work: quick work completes, slow work is canceled with TIMEOUT. */
object TimeoutExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val quick = Cancelable.withTimeout(2.seconds, name = "quick-lookup").run {
            delay(scaled(20.milliseconds))
            "found"
        }
        println("quick-lookup: $quick")

        // region readme:timeout
        val started = TimeSource.Monotonic.markNow()
        try {
            Cancelable.withTimeout(scaled(500.milliseconds), name = "slow-download").run {
                delay(scaled(10.seconds))                    // far longer than allowed
            }
        } catch (e: CanceledByTimeoutException) {
            println("slow-download canceled after ${started.elapsedNow().inWholeMilliseconds} ms: ${e.reason} - ${e.message}")
        }
        // endregion

        // region readme:timeout-blocking
        // A cancel does not stop blocking code: inside run, runInterruptible moves it to a thread
        // that the cancel interrupts; on a plain thread, callBlocking runs the operation right there.
        val blocked = TimeSource.Monotonic.markNow()
        try {
            Cancelable.withTimeout(scaled(300.milliseconds), name = "legacy-call").run {
                runInterruptible { Thread.sleep(scaled(10.seconds).inWholeMilliseconds) }
            }
        } catch (e: CanceledByTimeoutException) {
            println("legacy-call interrupted after ${blocked.elapsedNow().inWholeMilliseconds} ms: ${e.reason}")
        }
        try {
            Cancelable.withTimeout(scaled(300.milliseconds), name = "worker-call").callBlocking {
                Thread.sleep(scaled(10.seconds).inWholeMilliseconds)
            }
        } catch (e: CanceledByTimeoutException) {
            println("worker-call interrupted: ${e.reason}")
        }
        // endregion

        // region readme:timeout-deferred
        val report = async {
            Cancelable.withTimeout(scaled(300.milliseconds), name = "slow-report").run {
                delay(scaled(10.seconds))
                "report"
            }
        }
        try {
            report.await()
        } catch (e: CanceledByTimeoutException) {                  // await() throws the typed cancellation
            println("slow-report: isCancelled=${report.isCancelled}, ${e.reason}")
        }
        // endregion
    }
}

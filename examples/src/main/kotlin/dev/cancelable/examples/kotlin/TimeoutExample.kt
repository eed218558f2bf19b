package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.interruptible
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
        val quick = Cancelable(name = "quick-lookup", timeout = 2.seconds).run {
            delay(20.milliseconds)
            "found"
        }
        println("quick-lookup: $quick")

        // region readme:timeout
        val started = TimeSource.Monotonic.markNow()
        try {
            Cancelable(name = "slow-download", timeout = 300.milliseconds).run {
                delay(10.seconds)                            // far longer than allowed
            }
        } catch (e: CanceledByTimeoutException) {
            println("slow-download canceled after ${started.elapsedNow().inWholeMilliseconds} ms: ${e.reason} - ${e.message}")
        }
        // endregion

        // region readme:timeout-blocking
        // A cancel does not stop blocking code: inside run, interruptible moves it to a thread
        // that the cancel interrupts; on a plain thread, callBlocking runs the operation right there.
        val blocked = TimeSource.Monotonic.markNow()
        try {
            Cancelable(name = "legacy-call", timeout = 200.milliseconds).run {
                interruptible { Thread.sleep(10_000) }
            }
        } catch (e: CanceledByTimeoutException) {
            println("legacy-call interrupted after ${blocked.elapsedNow().inWholeMilliseconds} ms: ${e.reason}")
        }
        try {
            Cancelable(name = "worker-call", timeout = 200.milliseconds).callBlocking {
                Thread.sleep(10_000)
            }
        } catch (e: CanceledByTimeoutException) {
            println("worker-call interrupted: ${e.reason}")
        }
        // endregion

        // region readme:timeout-deferred
        val report = async {
            Cancelable(name = "slow-report", timeout = 200.milliseconds).run {
                delay(10.seconds)
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

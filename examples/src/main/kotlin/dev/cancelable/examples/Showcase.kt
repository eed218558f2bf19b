package dev.cancelable.examples

import dev.cancelable.CancelationException
import dev.cancelable.CancelationReason
import dev.cancelable.CancelationToken
import dev.cancelable.Cancelable
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/** A short tour: a timeout, a token canceled from another thread, and a polled condition. */
fun main() = runBlocking {
    val clock = TimeSource.Monotonic
    fun line(text: String) = println(text)

    line("1. A 300 ms timeout around a 10 s job")
    val started = clock.markNow()
    val timed = Cancelable.withTimeout(300.milliseconds, name = "slow-download")
    try {
        timed.run { delay(10.seconds) }
    } catch (e: CancelationException) {
        line("   canceled after ${started.elapsedNow().inWholeMilliseconds} ms: ${e.reason} - ${e.message}")
    }

    line("2. A token canceled by a plain thread")
    val token = CancelationToken()
    thread(name = "operator") {
        Thread.sleep(200)
        token.cancel(CancelationReason.MANUAL, "operator pressed stop")
    }
    val manual = Cancelable.withToken(token, name = "batch-import")
    try {
        manual.run {
            var rows = 0
            while (true) {
                delay(50.milliseconds)
                rows += 100
                reportProgress("imported $rows rows")
            }
        }
    } catch (e: CancelationException) {
        line("   ${manual.name} ${manual.status}: ${e.reason} - ${e.message}")
    }

    line("3. A condition polled every 50 ms")
    var queueDepth = 0
    val conditional = Cancelable.withCondition({ queueDepth >= 5 }, 50.milliseconds, "queue_full", name = "consumer")
    val result = conditional.runOrNull {
        while (true) {
            delay(40.milliseconds)
            queueDepth++
        }
    }
    line("   result=$result, reason=${conditional.context.cancelReason}, message='${conditional.context.cancelMessage}'")
}

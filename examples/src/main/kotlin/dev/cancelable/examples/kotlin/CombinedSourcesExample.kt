package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.OperationCanceledException
import dev.cancelable.source.ConditionSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/**
 * Several sources on one operation: whichever fires first cancels it, with its own reason. Operations
 * made elsewhere combine the same way.
 */
object CombinedSourcesExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:combine
        val userStop = CancellationToken()
        val upload = Cancelable(name = "upload", timeout = 5.seconds, token = userStop)
        launch {
            delay(200.milliseconds)
            userStop.cancel(CancellationReason.MANUAL, "user closed the tab")
        }
        try {
            upload.run { delay(10.seconds) }
        } catch (e: OperationCanceledException) {
            println("${upload.name}: ${e.reason} - ${e.message}")        // the token was first
        }
        // endregion

        val started = TimeSource.Monotonic.markNow()
        val budget = Cancelable(timeout = 5.seconds).combine(
            Cancelable(timeout = 300.milliseconds),                           // the earliest deadline wins, in any order
            Cancelable(sources = listOf(ConditionSource({ false }, 50.milliseconds, "never"))),
        )
        val result = budget.runOrNull { delay(10.seconds) }
        println("budget: result=$result, ${budget.cancelReason} after ${started.elapsedNow().inWholeMilliseconds} ms")
    }
}

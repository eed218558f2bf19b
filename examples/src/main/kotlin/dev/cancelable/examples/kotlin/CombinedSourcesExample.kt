package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.examples.support.scaled
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/** Several sources on one operation: whichever fires first cancels it, with its own reason. */
object CombinedSourcesExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:combine
        val userStop = CancellationToken()
        val upload = Cancelable.withTimeout(5.seconds, name = "upload")
            .combine(Cancelable.withToken(userStop))
        launch {
            delay(scaled(200.milliseconds))
            userStop.cancel(CancellationReason.MANUAL, "user closed the tab")
        }
        try {
            upload.run { delay(scaled(10.seconds)) }
        } catch (e: OperationCanceledException) {
            println("${upload.name}: ${e.reason} - ${e.message}")        // the token was first
        }
        // endregion

        val started = TimeSource.Monotonic.markNow()
        val budget = Cancelable.combine(
            Cancelable.withTimeout(scaled(5.seconds)),
            Cancelable.withTimeout(scaled(300.milliseconds)),             // the earliest deadline wins, in any order
            Cancelable.withCondition({ false }, scaled(50.milliseconds), "never"),
        )
        val result = budget.runOrNull { delay(scaled(10.seconds)) }
        println("budget: result=$result, ${budget.context.cancelReason} after ${started.elapsedNow().inWholeMilliseconds} ms")
    }
}

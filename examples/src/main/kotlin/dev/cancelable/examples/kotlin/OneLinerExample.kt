package dev.cancelable.examples.kotlin

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationToken
import dev.cancelable.cancelable
import dev.cancelable.currentOperation
import dev.cancelable.examples.support.scaled
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Functions whose whole body is an operation: the `cancelable(...)` one-liner, the counterpart of
 * the reference library's `@cancelable` decorator, bound to a timeout, a token or a condition.
 */
object OneLinerExample {
    // region readme:one-liner
    suspend fun fetchReport(id: Int): String = cancelable(timeout = 1.seconds, name = "fetch-report") { op ->
        op.reportProgress("fetching report $id")
        audit("fetch $id")                                     // finds the operation without being passed it
        delay(scaled(20.milliseconds))
        "report #$id"
    }

    suspend fun audit(what: String) {
        println("audit '$what' inside ${currentOperation()?.name}")
    }
    // endregion

    private val shutdown = CancellationToken()

    suspend fun pollQueue(): Int = cancelable(token = shutdown, name = "poll-queue") {
        delay(scaled(10.milliseconds))
        7
    }

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        println(fetchReport(1))
        println("poll-queue before shutdown: ${pollQueue()} messages")
        shutdown.cancel()
        try {
            pollQueue()
        } catch (e: OperationCanceledException) {
            println("poll-queue after shutdown: ${e.reason} - canceled at once")
        }
        var checks = 0
        val idle = try {
            cancelable(condition = { ++checks >= 3 }, checkInterval = scaled(20.milliseconds), name = "idle-wait") {
                delay(scaled(10.seconds))
            }
        } catch (e: OperationCanceledException) {
            e.reason
        }
        println("idle-wait: $idle after $checks checks")
        audit("outside")
    }
}

package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationToken
import dev.cancelable.OperationCanceledException
import dev.cancelable.currentOperation
import dev.cancelable.source.ConditionSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Functions whose whole body is an operation, `Cancelable(...).run { }`: the counterpart of the
 * reference library's `@cancelable` decorator, bound to a timeout, a token or a condition. Each call
 * makes a fresh operation, since an operation runs once.
 */
object OneLinerExample {
    // region readme:one-liner
    suspend fun fetchReport(id: Int): String = Cancelable(name = "fetch-report", timeout = 1.seconds).run {
        reportProgress("fetching report $id")
        audit("fetch $id")                                     // finds the operation without being passed it
        delay(20.milliseconds)
        "report #$id"
    }

    suspend fun audit(what: String) {
        println("audit '$what' inside ${currentOperation()?.name}")
    }
    // endregion

    private val shutdown = CancellationToken()

    suspend fun pollQueue(): Int = Cancelable(name = "poll-queue", token = shutdown).run {
        delay(10.milliseconds)
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
            Cancelable(name = "idle-wait", sources = listOf(ConditionSource({ ++checks >= 3 }, 20.milliseconds))).run {
                delay(10.seconds)
            }
        } catch (e: OperationCanceledException) {
            e.reason
        }
        println("idle-wait: $idle after $checks checks")
        audit("outside")
    }
}

package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.OperationCanceledException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.runBlocking
import java.io.IOException
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** Retries with backoff inside one operation: each attempt is a child with its own timeout, and a cancel stops the retries. */
object RetryExample {
    /** An upstream service that fails its first [failures] calls. */
    class FlakyService(private val failures: Int) {
        var calls = 0
            private set

        suspend fun fetch(): String {
            calls++
            delay(30.milliseconds)
            if (calls <= failures) throw IOException("503 from upstream")
            return "payload"
        }
    }

    // region readme:retry
    suspend fun <T> retry(attempts: Int, backoff: Duration, block: suspend () -> T): T {
        var wait = backoff
        for (attempt in 1..attempts) {
            try {
                return Cancelable(name = "attempt-$attempt", timeout = 1.seconds).run { block() }
            } catch (e: Exception) {
                if (e is OperationCanceledException && e !is CanceledByTimeoutException) throw e   // canceled: no more attempts
                currentCoroutineContext().ensureActive()                          // the caller's cancel wins too
                if (attempt == attempts) throw e
                println("attempt $attempt failed: ${e.message}; retrying in ${wait.inWholeMilliseconds} ms")
                delay(wait)                                                       // a cancel lands here as well
                wait *= 2
            }
        }
        error("attempts must be at least 1")
    }
    // endregion

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val orders = FlakyService(failures = 2)
        val synced = Cancelable(name = "sync-orders", timeout = 5.seconds).run {
            retry(attempts = 5, backoff = 50.milliseconds) { orders.fetch() }
        }
        println("sync-orders: $synced after ${orders.calls} attempts")

        // region readme:retry-budget
        var calls = 0
        try {
            Cancelable(name = "sync-invoices", timeout = 500.milliseconds).run {
                retry(attempts = 10, backoff = 100.milliseconds) {
                    calls++
                    delay(30.milliseconds)
                    if (calls <= 100) throw IOException("503 from upstream")    // an upstream that keeps failing
                    "invoices"
                }
            }
        } catch (e: CanceledByTimeoutException) {
            println("sync-invoices gave up after $calls attempts: ${e.reason} - ${e.message}")
        }
        // endregion
    }
}

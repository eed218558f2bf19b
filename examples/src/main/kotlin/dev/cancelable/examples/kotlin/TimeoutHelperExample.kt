package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.cancelable
import dev.cancelable.examples.support.scaled
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** `cancelable(timeout = ...)` around code that knows nothing of cancellation, and a fallback when it is late. */
object TimeoutHelperExample {
    /** Existing code: a quote service with some latency. */
    suspend fun fetchPrice(symbol: String, latency: Duration): Double {
        delay(latency)
        return if (symbol == "ACME") 42.0 else 17.5
    }

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:timeout-helper
        val acme = cancelable(timeout = 2.seconds, name = "price-ACME") {
            fetchPrice("ACME", scaled(50.milliseconds))
        }
        println("ACME: $acme")

        try {
            cancelable(timeout = scaled(500.milliseconds), name = "price-SLOW") {
                fetchPrice("SLOW", scaled(10.seconds))
            }
        } catch (e: CanceledByTimeoutException) {
            println("SLOW: ${e.reason}, budget ${e.timeout?.toMillis()} ms, operation ${e.snapshot?.name} ${e.snapshot?.status}")
        }

        val cached = Cancelable.withTimeout(scaled(200.milliseconds), name = "price-LAZY")
            .runOrNull { fetchPrice("LAZY", scaled(10.seconds)) }       // null instead of an exception
            ?: 40.0
        println("LAZY: $cached (fallback)")
        // endregion
    }
}

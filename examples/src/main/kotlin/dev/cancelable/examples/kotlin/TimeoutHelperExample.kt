package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** `Cancelable(timeout = ...)` around code that knows nothing of cancellation, and a fallback when it is late. */
object TimeoutHelperExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:timeout-helper
        suspend fun fetchPrice(symbol: String, latency: Duration): Double {     // existing code, some latency
            delay(latency)
            return if (symbol == "ACME") 42.0 else 17.5
        }

        val acme = Cancelable(name = "price-ACME", timeout = 2.seconds).run {
            fetchPrice("ACME", 50.milliseconds)
        }
        println("ACME: $acme")

        try {
            Cancelable(name = "price-SLOW", timeout = 300.milliseconds).run {
                fetchPrice("SLOW", 10.seconds)
            }
        } catch (e: CanceledByTimeoutException) {
            println("SLOW: ${e.reason}, budget ${e.timeout?.toMillis()} ms, operation ${e.snapshot?.name} ${e.snapshot?.status}")
        }

        val cached = Cancelable(name = "price-LAZY", timeout = 200.milliseconds)
            .runOrNull { fetchPrice("LAZY", 10.seconds) }       // null instead of an exception
            ?: 40.0
        println("LAZY: $cached (fallback)")
        // endregion
    }
}

package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledBySignalException
import dev.cancelable.examples.support.DemoSignals
import dev.cancelable.examples.support.scaled
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Ctrl-C (SIGINT) or `kill` (SIGTERM) cancels an operation instead of ending the process. Press
 * Ctrl-C while it runs; if you do not, it sends itself SIGTERM after a few seconds, which goes
 * through the very same path. Once it ends, the previous handlers are back.
 */
object SignalExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val patience = scaled(3.seconds)
        println("backing up: press Ctrl-C to cancel (or wait ${patience.inWholeMilliseconds} ms for a SIGTERM)")
        // region readme:signal
        val backup = Cancelable.withSignal(name = "backup")         // INT and TERM by default
        var files = 0
        try {
            backup.run {
                launch {                                            // stands in for the user
                    delay(patience)
                    DemoSignals.raise("TERM")
                }
                while (true) {
                    delay(scaled(100.milliseconds))
                    files++
                }
            }
        } catch (e: CanceledBySignalException) {
            println("backup canceled after $files files: ${e.reason} - ${e.message}")
        }
        // endregion
    }
}

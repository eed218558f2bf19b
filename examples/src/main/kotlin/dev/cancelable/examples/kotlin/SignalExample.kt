package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledBySignalException
import dev.cancelable.examples.support.DemoPace
import dev.cancelable.examples.support.DemoSignals
import dev.cancelable.source.SignalSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * Ctrl-C (SIGINT) or `kill` (SIGTERM) cancels an operation instead of ending the process. Press
 * Ctrl-C while it runs; if you do not, it sends itself SIGTERM after a few seconds (at once when the
 * output is piped), which goes through the very same path. Once it ends, the previous handlers are back.
 */
object SignalExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val patience = DemoPace.of(person = Duration.ofSeconds(3), piped = Duration.ofMillis(300))
        println("backing up: press Ctrl-C to cancel (or wait ${patience.toMillis()} ms for a SIGTERM)")
        DemoSignals.raiseOnceRunning("TERM", "backup", patience).use {       // stands in for the user
            // region readme:signal
            val backup = Cancelable(name = "backup", sources = listOf(SignalSource()))   // INT and TERM by default
            var files = 0
            try {
                backup.run {
                    while (true) {
                        delay(100.milliseconds)
                        files++
                    }
                }
            } catch (e: CanceledBySignalException) {
                println("backup canceled after $files files: ${e.reason} - ${e.message}")
            }
            // endregion
        }
    }
}

package dev.cancelable.examples.support

import java.time.Duration
import java.util.function.BooleanSupplier

/**
 * Sends an OS signal to this very process, as a user pressing Ctrl-C (INT) or running
 * `kill <pid>` (TERM) would, so the examples can show the signal source without a keyboard. Raise a
 * signal only while an operation watches it: otherwise the JVM's own handler ends the process.
 */
object DemoSignals {
    /** Raises [name] (`"INT"`, `"TERM"`, ...) in this process; its handler runs on a JVM thread soon after. */
    @JvmStatic
    fun raise(name: String) {
        sun.misc.Signal.raise(sun.misc.Signal(name.removePrefix("SIG")))
    }

    /**
     * Raises [name] after [delay] on a daemon thread, if [stillWatched] then says the watching
     * operation still runs. Close the handle before the operation ends: it stops the thread.
     */
    @JvmStatic
    fun raiseLater(name: String, delay: Duration, stillWatched: BooleanSupplier): Raiser = Raiser(name, delay, stillWatched)

    /** A pending [raiseLater]; [close] stops it and waits for its thread. */
    class Raiser internal constructor(name: String, delay: Duration, stillWatched: BooleanSupplier) : AutoCloseable {
        private val thread = Thread({
            try {
                Thread.sleep(delay.toMillis())
                if (stillWatched.asBoolean) raise(name)
            } catch (_: InterruptedException) {
                // closed first: nothing to raise
            }
        }, "demo-signal-$name").apply {
            isDaemon = true
            start()
        }

        override fun close() {
            thread.interrupt()
            var interrupted = false
            while (thread.isAlive) {
                try {
                    thread.join()
                } catch (_: InterruptedException) {
                    interrupted = true
                }
            }
            if (interrupted) Thread.currentThread().interrupt()
        }
    }
}

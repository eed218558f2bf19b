package dev.cancelable.examples.support

import dev.cancelable.OperationContext
import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationListener
import dev.cancelable.registry.OperationRegistry
import java.time.Duration
import java.util.concurrent.atomic.AtomicReference
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
     * Stands in for a user: once an operation called [operationName] starts running in [registry],
     * raises [signal] after [patience] if that operation is still running and not canceled (a person
     * may have pressed Ctrl-C first). Close the handle when the example ends: it stops listening and
     * waits for a pending raise.
     */
    @JvmStatic
    @JvmOverloads
    fun raiseOnceRunning(
        signal: String,
        operationName: String,
        patience: Duration,
        registry: OperationRegistry = OperationRegistry.global,
    ): Pending {
        val raiser = AtomicReference<Raiser?>()
        val listening = registry.addListener(object : OperationListener {
            override fun onStarted(operation: OperationContext) {
                if (operation.name != operationName) return
                val watched = BooleanSupplier { operation.status == OperationStatus.RUNNING && !operation.isCanceled }
                raiser.getAndSet(Raiser(signal, patience, watched))?.close()
            }
        })
        return Pending {
            listening.close()
            raiser.getAndSet(null)?.close()
        }
    }

    /** A pending [raiseOnceRunning]; [close] stops it. */
    fun interface Pending : AutoCloseable {
        override fun close()
    }

    /** A pending raise on a daemon thread; [close] stops it and waits for its thread. */
    private class Raiser(name: String, delay: Duration, stillWatched: BooleanSupplier) : AutoCloseable {
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

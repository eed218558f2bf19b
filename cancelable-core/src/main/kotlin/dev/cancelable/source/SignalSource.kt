package dev.cancelable.source

import dev.cancelable.CanceledBySignalException
import dev.cancelable.internal.SignalDispatcher
import kotlinx.coroutines.DisposableHandle

/**
 * Cancels the operation with [dev.cancelable.CancellationReason.SIGNAL] when the process receives one
 * of [signals], with the message `Received signal SIGTERM (15)`.
 *
 * Signals are named with or without the `SIG` prefix (`"TERM"`, `"SIGUSR2"`); none means INT and
 * TERM, so Ctrl-C and a plain `kill` cancel the operation instead of ending the process. While any
 * operation watches a signal, one process-wide handler serves them all; when the last one ends, the
 * handler that was there before is put back (unless other code replaced ours meanwhile).
 *
 * ```kotlin
 * Cancelable(name = "batch", sources = listOf(SignalSource())).run { processAll() }   // Ctrl-C cancels it
 * ```
 *
 * Platform notes (HotSpot): QUIT, SEGV, ILL and FPE belong to the JVM and KILL and STOP cannot be
 * caught, so they are rejected. A process started with INT, TERM or HUP ignored (`nohup`, some
 * background jobs) cannot handle them: a warning is logged at attach. With `-Xrs` the JVM refuses
 * INT, TERM and HUP; the source then fails to attach (logged) and never fires. On Linux the JVM
 * has a native handler of its own on USR2; prefer USR1 for your own signals.
 *
 * Immutable; thread-safe.
 *
 * @throws IllegalArgumentException for a signal this platform does not know or that cannot be watched.
 * @throws UnsupportedOperationException where the JDK's signal API is missing (Android).
 */
public class SignalSource private constructor(
    /** The watched signals, without the `SIG` prefix, e.g. `[INT, TERM]`. */
    internal val signals: List<String>,
) : CancellationSource("signal(${signals.joinToString()})") {

    /** A source watching [signals] (names like `"INT"` or `"SIGTERM"`; none means INT and TERM). */
    public constructor(vararg signals: String) : this(normalize(signals))

    init {
        SignalDispatcher.requireAvailable()
        this.signals.forEach(SignalDispatcher::requireWatchable)
    }

    override fun attach(scope: SourceScope): DisposableHandle {
        val registrations = ArrayList<DisposableHandle>(signals.size)
        try {
            for (name in signals) {
                registrations += SignalDispatcher.register(name) { number ->
                    val message = "Received signal SIG$name ($number)"
                    fire(scope, CanceledBySignalException(message, "SIG$name", number, scope.operation))
                }
            }
        } catch (e: Throwable) {
            // A signal the JVM refuses must not leave the others registered for ever.
            registrations.forEach { it.dispose() }
            throw e
        }
        return DisposableHandle { registrations.forEach { it.dispose() } }
    }

    private companion object {
        fun normalize(signals: Array<out String>): List<String> =
            if (signals.isEmpty()) listOf("INT", "TERM")
            else signals.map { it.trim().uppercase().removePrefix("SIG") }.distinct()
    }
}

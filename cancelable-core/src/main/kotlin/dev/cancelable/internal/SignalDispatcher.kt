package dev.cancelable.internal

import kotlinx.coroutines.DisposableHandle

/**
 * One process-wide handler per OS signal, shared by every operation watching it. The first listener
 * installs our handler and remembers the previous one; the last to leave puts it back (unless
 * someone replaced ours meanwhile: theirs then stays). Only [JdkSignals] touches `sun.misc.Signal`,
 * so on a platform without it nothing fails to load: sources check [requireAvailable] first.
 * Thread-safe (one lock per dispatcher; listeners run outside it).
 */
internal object SignalDispatcher {
    private class Watched(val installed: Any, val listeners: HandlerList<(Int) -> Unit>)

    private val lock = Any()
    private val watched = HashMap<String, Watched>()

    /** Signals no process can catch. */
    private val UNCATCHABLE = setOf("KILL", "STOP")

    /** Signals the JVM keeps for itself (QUIT prints thread dumps; the others are its crash handlers). */
    private val RESERVED = setOf("QUIT", "SEGV", "ILL", "FPE")

    val isAvailable: Boolean by lazy {
        try {
            Class.forName("sun.misc.Signal")
            true
        } catch (_: Throwable) {
            false
        }
    }

    fun requireAvailable() {
        if (!isAvailable) {
            throw UnsupportedOperationException("OS signals are not available on this platform: the JDK signal API (sun.misc.Signal) is missing")
        }
    }

    /** Rejects names this platform does not know, and signals that cannot be watched. */
    fun requireWatchable(name: String) {
        require(name !in UNCATCHABLE) { "signals: SIG$name cannot be caught by any process" }
        require(name !in RESERVED) { "signals: SIG$name is reserved by the JVM" }
        require(JdkSignals.isKnown(name)) { "signals: unknown signal '$name'" }
    }

    /**
     * Calls [listener] with the signal number each time [name] arrives, until the handle is disposed.
     *
     * @throws IllegalArgumentException if the JVM refuses to let [name] be handled (e.g. with `-Xrs`).
     */
    fun register(name: String, listener: (Int) -> Unit): DisposableHandle = synchronized(lock) {
        val entry = watched.getOrPut(name) {
            Watched(JdkSignals.install(name) { number -> deliver(name, number) }, HandlerList())
        }
        val handle = entry.listeners.add(listener)!!
        DisposableHandle {
            synchronized(lock) {
                handle.dispose()
                if (entry.listeners.count == 0 && watched[name] === entry) {
                    watched.remove(name)
                    JdkSignals.restore(entry.installed)
                }
            }
        }
    }

    /** Listeners currently registered for [name] (for leak checks). */
    fun listenerCount(name: String): Int = synchronized(lock) { watched[name]?.listeners?.count ?: 0 }

    /** Hands signal [name] with [number] to its listeners; what our handler does when it arrives. */
    fun deliver(name: String, number: Int) {
        val entry = synchronized(lock) { watched[name] } ?: return
        // Snapshot without closing: a signal may arrive many times.
        val listeners = entry.listeners.snapshot()
        for (listener in listeners) {
            try {
                listener(number)
            } catch (e: Throwable) {
                e.rethrowIfFatal()
                logger("source.signal").warn("signal listener for SIG{} failed", name, e)
            }
        }
    }
}

/** The only place that names `sun.misc.Signal`; loaded only once [SignalDispatcher.isAvailable] said yes. */
@AndroidIncompatible
internal object JdkSignals {
    /** The shutdown signals the JVM does not handle when the process inherited them as ignored. */
    private val IGNORABLE = setOf("INT", "TERM", "HUP")

    @AndroidIncompatible
    private class Installed(val signal: sun.misc.Signal, val ours: sun.misc.SignalHandler, val previous: sun.misc.SignalHandler?)

    fun isKnown(name: String): Boolean = try {
        sun.misc.Signal(name)
        true
    } catch (_: IllegalArgumentException) {
        false
    }

    /** Installs [handler] for [name]; returns what [restore] needs to put the previous handler back. */
    fun install(name: String, handler: (Int) -> Unit): Any {
        val signal = sun.misc.Signal(name)
        val ours = sun.misc.SignalHandler { handler(it.number) }
        val previous = sun.misc.Signal.handle(signal, ours)
        if (previous === sun.misc.SignalHandler.SIG_IGN && name in IGNORABLE) {
            logger("source.signal").warn(
                "SIG{} is ignored by this process (started with nohup, or in the background?); the JVM does not " +
                    "handle it then, so operations watching it will not see it",
                name,
            )
        }
        return Installed(signal, ours, previous)
    }

    fun restore(installed: Any) {
        val entry = installed as Installed
        val previous = entry.previous ?: return
        val current = sun.misc.Signal.handle(entry.signal, previous)
        // Someone installed their own handler over ours while we watched: leave theirs in place.
        if (current !== entry.ours) sun.misc.Signal.handle(entry.signal, current)
    }
}

package dev.cancelable.internal

import kotlinx.coroutines.DisposableHandle

/**
 * One process-wide handler per OS signal, shared by every operation watching it. The first listener
 * installs our handler and remembers the previous one; the last to leave puts it back. Only
 * [JdkSignals] touches `sun.misc.Signal`, so on a platform without it nothing fails to load: sources
 * check [requireAvailable] first. Thread-safe (one lock per dispatcher; listeners run outside it).
 */
internal object SignalDispatcher {
    private class Watched(val previous: Any?, val listeners: HandlerList<(Int) -> Unit>)

    private val lock = Any()
    private val watched = HashMap<String, Watched>()

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

    fun requireKnown(name: String) {
        require(JdkSignals.isKnown(name)) { "signals: unknown signal '$name'" }
    }

    /** Calls [listener] with the signal number each time [name] arrives, until the handle is disposed. */
    fun register(name: String, listener: (Int) -> Unit): DisposableHandle = synchronized(lock) {
        val entry = watched.getOrPut(name) {
            val listeners = HandlerList<(Int) -> Unit>()
            val previous = JdkSignals.install(name) { number -> deliver(name, number) }
            Watched(previous, listeners)
        }
        val handle = entry.listeners.add(listener)!!
        DisposableHandle {
            synchronized(lock) {
                handle.dispose()
                if (entry.listeners.count == 0 && watched[name] === entry) {
                    watched.remove(name)
                    JdkSignals.restore(name, entry.previous)
                }
            }
        }
    }

    /** Listeners currently registered for [name] (for tests). */
    fun listenerCount(name: String): Int = synchronized(lock) { watched[name]?.listeners?.count ?: 0 }

    private fun deliver(name: String, number: Int) {
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

/** The only place that names `sun.misc.Signal`. */
internal object JdkSignals {
    fun isKnown(name: String): Boolean = try {
        sun.misc.Signal(name)
        true
    } catch (_: IllegalArgumentException) {
        false
    }

    /** Installs [handler] for [name]; returns the previous handler, to give back to [restore]. */
    fun install(name: String, handler: (Int) -> Unit): Any? =
        sun.misc.Signal.handle(sun.misc.Signal(name)) { signal -> handler(signal.number) }

    fun restore(name: String, previous: Any?) {
        if (previous is sun.misc.SignalHandler) sun.misc.Signal.handle(sun.misc.Signal(name), previous)
    }
}

package dev.cancelable.micrometer.internal

import dev.cancelable.micrometer.OperationMetrics
import org.slf4j.LoggerFactory
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Function

/**
 * One value of the `operation` tag: a name that was admitted, or [OperationMetrics.OTHER], with the
 * number of its operations running now (what the live gauge reads). Thread-safe.
 */
internal class NameState(val tag: String) {
    val live: AtomicInteger = AtomicInteger()

    override fun toString(): String = "NameState($tag, live=${live.get()})"
}

/**
 * The cardinality guard: turns an operation name into the tag value it is counted under. The name is
 * first normalised (when a normaliser is set), then checked against the allow-list (when one is set);
 * the first [maxNames] distinct values that pass are admitted for good, and every other one folds into
 * [OperationMetrics.OTHER]. A normaliser that throws or returns null or a blank value folds the name into
 * `other` too (logged once per guard). Thread-safe; admitting takes a lock, reading an admitted name does not.
 */
internal class NameGuard(
    private val normalizer: Function<String, String?>?,
    private val allowed: Set<String>?,
    private val maxNames: Int,
) {
    private val admitted = ConcurrentHashMap<String, NameState>()
    private var admittedCount = 0
    private val warned = AtomicInteger()

    /** The bucket every name beyond the guard falls into. */
    val other: NameState = NameState(OperationMetrics.OTHER)

    /** Called with each state the first time it is admitted (also for [other], on first use). */
    @Volatile
    var onAdmitted: (NameState) -> Unit = {}

    /** Every state admitted so far, [other] included once it was used. */
    fun states(): Collection<NameState> = admitted.values

    /** How many distinct names were admitted (not counting `other`). */
    val size: Int get() = synchronized(this) { admittedCount }

    /** The state [name] is counted under. */
    fun stateFor(name: String): NameState {
        val value = normalize(name) ?: return useOther()
        if (allowed != null && value !in allowed) return useOther()
        admitted[value]?.let { return it }
        val state = synchronized(this) {
            admitted[value] ?: if (admittedCount >= maxNames || value == OperationMetrics.OTHER) null
            else NameState(value).also { admitted[value] = it; admittedCount++ }
        } ?: return useOther()
        onAdmitted(state)
        return state
    }

    private fun useOther(): NameState {
        if (admitted.putIfAbsent(OperationMetrics.OTHER, other) == null) onAdmitted(other)
        return other
    }

    private fun normalize(name: String): String? {
        val normalizer = normalizer ?: return name
        val value = try {
            normalizer.apply(name)
        } catch (e: Exception) {
            if (warned.getAndIncrement() == 0) log.warn("operation name normaliser failed for '{}'; counted as other", name, e)
            return null
        }
        return value?.takeIf { it.isNotBlank() }
    }

    private companion object {
        private val log = LoggerFactory.getLogger("dev.cancelable.micrometer")
    }
}

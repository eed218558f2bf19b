package dev.cancelable.internal

import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.atomic.AtomicLong

/**
 * Cheap unique ids: a per-process random prefix and a counter, both base 36, e.g. `k3x9q2-1f`.
 * Unique within the process and unlikely to collide across processes; no UUID on the hot path.
 */
internal object Ids {
    private val prefix: String = java.lang.Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36), 36) + "-"
    private val counter = AtomicLong()

    private val prefixBytes = prefix.toByteArray(Charsets.ISO_8859_1)
    private val digits = "0123456789abcdefghijklmnopqrstuvwxyz".toByteArray(Charsets.ISO_8859_1)

    fun next(): String = withPrefix(counter.incrementAndGet())

    /**
     * The prefix followed by [number] in base 36, written straight into the string's bytes (what
     * `prefix + Long.toString(number, 36)` does with a scratch buffer and two copies).
     */
    private fun withPrefix(number: Long): String {
        if (number > Int.MAX_VALUE) return prefix + java.lang.Long.toString(number, 36)
        val value = number.toInt()
        var length = prefixBytes.size + 1
        var rest = value / 36
        while (rest > 0) {
            rest /= 36
            length++
        }
        val bytes = prefixBytes.copyOf(length)
        var remaining = value
        for (i in length - 1 downTo prefixBytes.size) {
            bytes[i] = digits[remaining % 36]
            remaining /= 36
        }
        return String(bytes, Charsets.ISO_8859_1)
    }
}

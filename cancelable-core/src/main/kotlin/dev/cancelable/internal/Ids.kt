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

    fun next(): String = prefix + java.lang.Long.toString(counter.incrementAndGet(), 36)
}

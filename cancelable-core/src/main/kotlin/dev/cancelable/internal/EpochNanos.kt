package dev.cancelable.internal

import java.time.Instant

/**
 * Instants kept as nanoseconds since the epoch, so an operation and its history entry hold two longs
 * instead of two `Instant` objects; the `Instant` is made when someone reads it.
 */
internal object EpochNanos {
    /** "Not yet": the start of a pending operation, the end of a running one. */
    const val NONE: Long = Long.MIN_VALUE

    private const val PER_SECOND = 1_000_000_000L

    /** [instant] in nanoseconds since the epoch; an instant outside about 1677-2262 saturates. */
    fun of(instant: Instant): Long {
        val seconds = instant.epochSecond
        if (seconds >= Long.MAX_VALUE / PER_SECOND) return Long.MAX_VALUE
        if (seconds <= Long.MIN_VALUE / PER_SECOND) return Long.MIN_VALUE + 1
        return seconds * PER_SECOND + instant.nano
    }

    /** The instant of [nanos], or null for [NONE]. */
    fun toInstant(nanos: Long): Instant? =
        if (nanos == NONE) null else Instant.ofEpochSecond(Math.floorDiv(nanos, PER_SECOND), Math.floorMod(nanos, PER_SECOND))
}

package dev.cancelable.examples.support

import kotlin.math.roundToLong
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

/**
 * One knob for every duration in the examples: the system property `cancelable.examples.scale`
 * (default 1.0) multiplies them, so the smoke test runs each example in a fraction of a second while
 * a reader running it sees the real pace. Read `scaled(2.seconds)` as "two seconds".
 *
 * Scale only what an example waits through. A budget that must not run out, or an order that
 * depends on a margin, stays a plain duration: scaled down, a busy machine could overturn it.
 */
object Scale {
    /** The system property holding the factor, a positive number. */
    const val PROPERTY: String = "cancelable.examples.scale"

    /** The factor now; 1.0 unless the property says otherwise. */
    @JvmStatic
    fun factor(): Double {
        val raw = System.getProperty(PROPERTY) ?: return 1.0
        val factor = raw.trim().toDoubleOrNull()
        require(factor != null && factor > 0.0 && factor.isFinite()) {
            "$PROPERTY must be a positive number, was '$raw'"
        }
        return factor
    }

    /** [duration] times the factor, never below one millisecond. */
    @JvmStatic
    fun scaled(duration: java.time.Duration): java.time.Duration {
        require(!duration.isNegative && !duration.isZero) { "duration must be positive, was $duration" }
        val nanos = (duration.toNanos() * factor()).roundToLong()
        return java.time.Duration.ofNanos(maxOf(nanos, 1_000_000L))
    }
}

/** [duration] times the examples' factor (see [Scale]), never below one millisecond. */
fun scaled(duration: kotlin.time.Duration): kotlin.time.Duration =
    Scale.scaled(duration.toJavaDuration()).toKotlinDuration()

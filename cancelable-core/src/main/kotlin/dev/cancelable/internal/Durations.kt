package dev.cancelable.internal

import java.math.BigDecimal
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.toJavaDuration

/** Rejects zero, negative and infinite durations, naming [parameter]. */
internal fun requirePositive(duration: Duration, parameter: String): Duration {
    require(duration.isPositive() && duration.isFinite()) {
        "$parameter must be positive and finite, was $duration"
    }
    return duration
}

/** Rejects zero, negative and null durations, naming [parameter]. */
internal fun requirePositive(duration: java.time.Duration, parameter: String): java.time.Duration {
    require(!duration.isNegative && !duration.isZero) { "$parameter must be positive, was $duration" }
    return duration
}

/** Rejects zero, negative, NaN and infinite seconds, naming [parameter]. */
internal fun requirePositiveSeconds(seconds: Double, parameter: String): Double {
    require(seconds > 0.0 && seconds.isFinite()) { "$parameter must be a positive, finite number of seconds, was $seconds" }
    return seconds
}

/** Seconds as the reference library prints them: `5.0`, `2.5`, `0.1`, `0.0001`. */
internal fun formatSeconds(duration: java.time.Duration): String {
    val seconds = BigDecimal.valueOf(duration.seconds).add(BigDecimal.valueOf(duration.nano.toLong(), 9))
    val plain = seconds.stripTrailingZeros().toPlainString()
    return if ('.' in plain) plain else "$plain.0"
}

internal fun formatSeconds(duration: Duration): String = formatSeconds(duration.toJavaDuration())

/** Milliseconds to wait for [duration], rounding sub-millisecond remainders up as kotlinx does. */
internal fun Duration.toDelayMillis(): Long {
    val whole = inWholeMilliseconds
    return if (this > whole.milliseconds) whole + 1 else whole
}

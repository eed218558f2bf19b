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

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
internal fun formatSeconds(duration: java.time.Duration): String = formatSeconds(duration.seconds, duration.nano)

internal fun formatSeconds(duration: Duration): String =
    if (duration.isInfinite()) formatSeconds(duration.toJavaDuration())
    else duration.toComponents { seconds, nanoseconds -> formatSeconds(seconds, nanoseconds) }

private fun formatSeconds(seconds: Long, nanos: Int): String =
    if (seconds >= 0 && nanos >= 0) plainSeconds(seconds, nanos) else decimalSeconds(seconds, nanos)

/** `seconds.fraction` with the fraction's trailing zeros stripped, `.0` when there is none. */
private fun plainSeconds(seconds: Long, nanos: Int): String {
    if (nanos == 0) return "$seconds.0"
    var fraction = nanos
    var digits = 9
    while (fraction % 10 == 0) {
        fraction /= 10
        digits--
    }
    val text = StringBuilder(24).append(seconds).append('.')
    val fractionText = fraction.toString()
    repeat(digits - fractionText.length) { text.append('0') }
    return text.append(fractionText).toString()
}

/** The general form, for negative durations. */
private fun decimalSeconds(seconds: Long, nanos: Int): String {
    val value = BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos.toLong(), 9))
    val plain = value.stripTrailingZeros().toPlainString()
    return if ('.' in plain) plain else "$plain.0"
}

/**
 * What a timeout of one duration always says: its source's name, its message, the default name of
 * an operation built around it, and the duration for Java. Immutable; shared by every timeout of
 * that duration built in a row.
 */
internal class TimeoutTexts private constructor(
    val timeout: Duration,
    val sourceName: String,
    val message: String,
    val operationName: String,
    val javaTimeout: java.time.Duration,
) {
    companion object {
        /**
         * The last texts built. A program arms the same few timeouts over and over, and building these
         * (three strings and a `java.time.Duration`) was most of what creating a timeout cost.
         */
        @Volatile
        private var last: TimeoutTexts? = null

        fun of(timeout: Duration): TimeoutTexts {
            val cached = last
            if (cached != null && cached.timeout == timeout) return cached
            val seconds = if (timeout.isInfinite()) (if (timeout.isPositive()) "inf" else "-inf") else formatSeconds(timeout) + "s"
            return TimeoutTexts(
                timeout,
                sourceName = "timeout($seconds)",
                message = if (timeout.isPositive()) "Operation timed out after $seconds"
                else "Operation timed out immediately: its timeout ($seconds) had already expired",
                operationName = "timeout_$seconds",
                javaTimeout = timeout.toJavaDuration(),
            ).also { last = it }
        }
    }
}

/** Milliseconds to wait for [duration], rounding sub-millisecond remainders up as kotlinx does. */
internal fun Duration.toDelayMillis(): Long {
    val whole = inWholeMilliseconds
    return if (this > whole.milliseconds) whole + 1 else whole
}

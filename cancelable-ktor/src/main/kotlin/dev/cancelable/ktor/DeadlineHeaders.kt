package dev.cancelable.ktor

import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.microseconds
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.Duration.Companion.seconds

/**
 * The HTTP headers that carry a deadline from a caller to a server, and their formats.
 *
 * - [REQUEST_TIMEOUT] (`Request-Timeout`): the time the caller still waits, in seconds, a decimal
 *   number such as `2` or `0.250` (milliseconds at most are kept).
 * - [GRPC_TIMEOUT] (`grpc-timeout`): gRPC's format, at most 8 digits and a unit: `H` hours, `M`
 *   minutes, `S` seconds, `m` milliseconds, `u` microseconds, `n` nanoseconds (`300m`, `2S`).
 * - [PARENT_ID] (`Cancelable-Parent-Id`): the id of the caller's operation, recorded as the
 *   server operation's remote parent.
 *
 * A value that does not parse is ignored, as if the header were absent. Thread-safety: stateless,
 * safe from any thread.
 */
public object DeadlineHeaders {
    /** `Request-Timeout`: seconds, decimal. */
    public const val REQUEST_TIMEOUT: String = "Request-Timeout"

    /** `grpc-timeout`: gRPC's timeout format. */
    public const val GRPC_TIMEOUT: String = "grpc-timeout"

    /** `Cancelable-Parent-Id`: the caller's operation id. */
    public const val PARENT_ID: String = "Cancelable-Parent-Id"

    private val seconds = Regex("""\d{1,9}(\.\d{1,9})?""")
    private val grpc = Regex("""(\d{1,8})([HMSmun])""")
    private val operationId = Regex("""[A-Za-z0-9_.:-]{1,128}""")

    /** The time left in a `Request-Timeout` value, or null if it does not parse. */
    public fun parseRequestTimeout(value: String): Duration? {
        val text = value.trim()
        if (!seconds.matches(text)) return null
        val whole = text.substringBefore('.').toLong()
        val fraction = text.substringAfter('.', "").padEnd(3, '0').take(3).toLong()
        return whole.seconds + fraction.milliseconds
    }

    /** The time left in a `grpc-timeout` value, or null if it does not parse. */
    public fun parseGrpcTimeout(value: String): Duration? {
        val match = grpc.matchEntire(value.trim()) ?: return null
        val amount = match.groupValues[1].toLong()
        return when (match.groupValues[2]) {
            "H" -> amount.hours
            "M" -> amount.minutes
            "S" -> amount.seconds
            "m" -> amount.milliseconds
            "u" -> amount.microseconds
            else -> amount.nanoseconds
        }
    }

    /** [remaining] as a `Request-Timeout` value: seconds with three decimals, never negative. */
    public fun formatRequestTimeout(remaining: Duration): String {
        val millis = remaining.inWholeMilliseconds.coerceIn(0, 999_999_999_999L)
        return "${millis / 1000}.${(millis % 1000).toString().padStart(3, '0')}"
    }

    /** [remaining] as a `grpc-timeout` value: milliseconds while they fit in 8 digits, else seconds or hours. */
    public fun formatGrpcTimeout(remaining: Duration): String {
        val millis = remaining.inWholeMilliseconds.coerceAtLeast(0)
        return when {
            millis <= 99_999_999L -> "${millis}m"
            millis / 1000 <= 99_999_999L -> "${millis / 1000}S"
            else -> "${(millis / 3_600_000).coerceAtMost(99_999_999L)}H"
        }
    }

    /** [value] if it is a plausible operation id (1-128 letters, digits, `_.:-`), else null. */
    public fun parseParentId(value: String): String? = value.trim().takeIf { operationId.matches(it) }
}

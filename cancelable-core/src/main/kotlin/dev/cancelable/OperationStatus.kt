package dev.cancelable

/**
 * Where an operation is in its life.
 *
 * `PENDING -> RUNNING -> (COMPLETED | CANCELED | FAILED)`; a [Cancelable.shield] section shows as a
 * child operation in `SHIELDED` while it runs. Each constant has a stable lowercase [value] for logs
 * and JSON. Immutable and thread-safe.
 */
public enum class OperationStatus(
    /** Stable lowercase name, e.g. `"canceled"`. */
    public val value: String,
) {
    /** Built, not yet run. */
    PENDING("pending"),

    /** Inside `run`. */
    RUNNING("running"),

    /** The block returned normally (even if a cancellation was requested and caught). */
    COMPLETED("completed"),

    /** Ended by a cancellation: its own source, `cancel()`, the registry or its parent. */
    CANCELED("canceled"),

    /** The block threw something other than a cancellation. */
    FAILED("failed"),

    /** A shielded section that cancellation of its parent cannot interrupt. */
    SHIELDED("shielded"),
    ;

    /** True exactly for [COMPLETED], [CANCELED] and [FAILED]. */
    public val isTerminal: Boolean get() = this == COMPLETED || this == CANCELED || this == FAILED

    override fun toString(): String = value

    public companion object {
        /** The constant whose [value] is [value], ignoring case. */
        @JvmStatic
        public fun fromValue(value: String): OperationStatus =
            entries.firstOrNull { it.value.equals(value, ignoreCase = true) }
                ?: throw IllegalArgumentException("value: unknown operation status '$value'")
    }
}

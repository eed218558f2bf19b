package dev.cancelable

/**
 * Where an operation is in its life.
 *
 * `PENDING -> RUNNING -> (COMPLETED | CANCELED | FAILED)`; a [OperationScope.shield] section shows as
 * a child operation in `SHIELDED` while it runs. Each constant's `toString()` is a stable lowercase
 * name for logs and JSON, e.g. `canceled` (`valueOf(name.uppercase())` reads it back). Immutable and
 * thread-safe.
 */
public enum class OperationStatus(private val value: String) {
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

    /** The stable lowercase name, e.g. `canceled`. */
    override fun toString(): String = value
}

package dev.cancelable

/**
 * Why an operation was canceled. Each constant has a stable lowercase [value] for logs and JSON.
 * Immutable and thread-safe.
 */
public enum class CancellationReason(
    /** Stable lowercase name, e.g. `"timeout"`. */
    public val value: String,
) {
    /** A deadline passed. */
    TIMEOUT("timeout"),

    /** Someone called `cancel()`: code, a token, the registry, an operator. */
    MANUAL("manual"),

    /** The process received an OS signal. */
    SIGNAL("signal"),

    /** A polled condition held, or a resource crossed its threshold. */
    CONDITION("condition"),

    /** An enclosing operation, or the caller's coroutine, was canceled. */
    PARENT("parent"),
    ;

    override fun toString(): String = value

    public companion object {
        /** The constant whose [value] is [value], ignoring case. */
        @JvmStatic
        public fun fromValue(value: String): CancellationReason =
            entries.firstOrNull { it.value.equals(value, ignoreCase = true) }
                ?: throw IllegalArgumentException("value: unknown cancellation reason '$value'")
    }
}

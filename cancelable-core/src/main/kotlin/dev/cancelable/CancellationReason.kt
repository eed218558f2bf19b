package dev.cancelable

/**
 * Why an operation was canceled. Each constant's `toString()` is a stable lowercase name for logs and
 * JSON, e.g. `timeout` (`valueOf(name.uppercase())` reads it back). Immutable and thread-safe.
 */
public enum class CancellationReason(private val value: String) {
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

    /** The stable lowercase name, e.g. `timeout`. */
    override fun toString(): String = value
}

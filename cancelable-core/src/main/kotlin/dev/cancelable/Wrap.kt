@file:JvmName("Operations")
@file:JvmMultifileClass

package dev.cancelable

/**
 * Wraps [function] so that each call first checks this operation: once it is canceled, calling the
 * wrapper throws the operation's [OperationCanceledException] and [function] does not run. (The
 * reference library's `wrap`.)
 *
 * ```kotlin
 * val save = op.wrap { record: Record -> db.insert(record) }
 * records.forEach { save(it) }     // stops at the first call after a cancel
 * ```
 */
public fun <A, R> Cancelable.wrap(function: suspend (A) -> R): suspend (A) -> R = { argument ->
    throwIfCanceled()
    function(argument)
}

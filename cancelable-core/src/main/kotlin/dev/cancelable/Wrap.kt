package dev.cancelable

/**
 * Wraps [function] so that each call first checks this operation: once it is canceled, calling the
 * wrapper throws the operation's [CancelationException] and [function] does not run.
 *
 * ```kotlin
 * val save = op.wrap { record: Record -> db.insert(record) }
 * records.forEach { save(it) }     // stops at the first call after a cancel
 * ```
 */
public fun <A, R> Cancelable.wrap(function: suspend (A) -> R): suspend (A) -> R = { argument ->
    checkCancelation()
    function(argument)
}

/** [wrap] for a function without arguments. */
public fun <R> Cancelable.wrapCall(function: suspend () -> R): suspend () -> R = {
    checkCancelation()
    function()
}

/** [wrap] for a function of two arguments. */
public fun <A, B, R> Cancelable.wrap(function: suspend (A, B) -> R): suspend (A, B) -> R = { a, b ->
    checkCancelation()
    function(a, b)
}

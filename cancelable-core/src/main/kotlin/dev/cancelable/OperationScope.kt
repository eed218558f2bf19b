package dev.cancelable

import kotlinx.coroutines.CoroutineScope

/** Receives lifecycle events of an operation: start, complete, cancel. May be plain or suspending. */
public typealias OperationCallback = suspend (context: OperationContext) -> Unit

/** Receives the error a FAILED operation's block threw. May be plain or suspending. */
public typealias ErrorCallback = suspend (context: OperationContext, error: Throwable) -> Unit

/**
 * Receives progress reports of an operation and of all its descendants; [operationId] names the
 * operation that reported. May be plain or suspending.
 */
public typealias ProgressCallback = suspend (operationId: String, message: String, metadata: Map<String, Any?>) -> Unit

/**
 * The receiver of a [Cancelable.run] block: a [CoroutineScope] whose Job is the operation's (so
 * `launch` inside starts children that the operation's cancelation reaches), plus the calls a block
 * makes on its own operation.
 *
 * Only valid inside the block that received it. Its members are thread-safe.
 */
public interface OperationScope : CoroutineScope {
    /** The running operation. */
    public val operation: Cancelable

    /** Same as `operation.reportProgress`. */
    public suspend fun reportProgress(message: String, metadata: Map<String, Any?> = emptyMap()): Unit =
        operation.reportProgress(message, metadata)

    /** Same as `operation.checkCancelation()`. */
    public fun checkCancelation(): Unit = operation.checkCancelation()

    /** Same as `operation.cancel(...)`. */
    public fun cancel(
        reason: CancelationReason = CancelationReason.MANUAL,
        message: String? = null,
        propagateToChildren: Boolean = true,
    ): Boolean = operation.cancel(reason, message, propagateToChildren)

    /** Same as `operation.shield(block)`. */
    public suspend fun <T> shield(block: suspend OperationScope.() -> T): T = operation.shield(block)
}
